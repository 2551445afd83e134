using System.Net;
using System.Net.Http.Json;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Ledger;
using CareLedger.Ledger.Ordering;
using CareLedger.Storage;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging;

namespace CareLedger.Consensus.Raft;

/// <summary>
/// Consortium ordering over DotNext Raft. Every node admits transactions; the leader cuts them into
/// batches and replicates each batch as one log entry; followers hand theirs to the leader. Every node
/// applies committed entries itself (<see cref="LedgerStateMachine"/>) and votes for the header it computed
/// (<see cref="Certification"/>), so a client never needs to know who leads, and a lying node shows.
/// </summary>
public sealed class RaftConsensus : IAsyncDisposable
{
    private const int MaxBatchesInFlight = 4;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan VoteInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan HandOffTimeout = TimeSpan.FromSeconds(10);

    private readonly RaftSettings _settings;
    private readonly LedgerEngine _engine;
    private readonly LedgerStore _store;
    private readonly SigningKey _nodeKey;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly SoloOrderingService _mempool;
    private readonly WriteAheadLog _wal;
    private readonly LedgerStateMachine _stateMachine;
    private readonly RaftCluster _cluster;
    private readonly HttpClient _http = new() { Timeout = HandOffTimeout };
    private CancellationTokenSource _leaderTerm = new();

    public RaftConsensus(RaftSettings settings, LedgerEngine engine, LedgerStore store, SigningKey nodeKey, ILoggerFactory loggers, TimeProvider clock)
    {
        if (settings.RequestTimeout * 2 > settings.LowerElectionTimeout)
        {
            throw new ArgumentException("The Raft request timeout must be at most half the lower election timeout, or elections cannot finish while a peer hangs.", nameof(settings));
        }
        _settings = settings;
        _engine = engine;
        _store = store;
        _nodeKey = nodeKey;
        _clock = clock;
        _logger = loggers.CreateLogger<RaftConsensus>();
        _mempool = new SoloOrderingService(settings.Cut, clock);
        Certification = new Certification(store, nodeKey, settings.Validators, loggers.CreateLogger<Certification>());
        engine.BlockCommitted += Certification.Vote;
        _stateMachine = new LedgerStateMachine(engine, store, Certification, loggers.CreateLogger<LedgerStateMachine>());
        // Large chunks: a batch entry is hundreds of KiB, and each chunk is a separately mapped file region.
        _wal = new WriteAheadLog(new WriteAheadLog.Options { Location = settings.LogDirectory, ChunkSize = 8 * 1024 * 1024 }, _stateMachine);
        _cluster = new RaftCluster(new RaftCluster.TcpConfiguration(settings.Listen)
        {
            ConfigurationStorage = new EndPointConfigurationStorage(settings.Members),
            ColdStart = false,
            LowerElectionTimeout = settings.LowerElectionTimeout,
            UpperElectionTimeout = settings.UpperElectionTimeout,
            RequestTimeout = TimeSpan.FromMilliseconds(settings.RequestTimeout),
            ConnectTimeout = TimeSpan.FromMilliseconds(settings.RequestTimeout),
            LoggerFactory = loggers,
            SslOptions = settings.Tls?.Options(),
        })
        {
            AuditTrail = _wal,
        };
        _cluster.LeaderChanged += (_, leader) =>
        {
            Log.LeaderChanged(_logger, leader?.EndPoint.ToString() ?? "(none)");
            // Hand-offs to the old leader (which may be cut off, its requests hanging) are given up and retried with the new one.
            Interlocked.Exchange(ref _leaderTerm, new CancellationTokenSource()).Cancel();
        };
    }

    /// <summary>Header votes and their verdicts.</summary>
    public Certification Certification { get; }

    /// <summary>True while this node leads.</summary>
    public bool IsLeader => _cluster.Leader is { IsRemote: false };

    /// <summary>True while some node leads (a majority is reachable) and this node has not diverged.</summary>
    public bool CanAccept => _cluster.Leader is not null && Certification.Divergence is null;

    /// <summary>Offers an admitted transaction for ordering.</summary>
    public bool TryEnqueue(Transaction transaction) => _mempool.TryEnqueue(transaction);

    /// <summary>Raised once, when this node finds that the majority certified another header than its own (it then stands aside).</summary>
    public event Action<DivergenceEvidence>? Diverged;

    /// <summary>Raised for admitted transactions that expired before any leader took them (their reservations can go).</summary>
    public event Action<Transaction>? Dropped;

    /// <summary>Starts the Raft node and runs the hand-off loops until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _mempool.StartAfter(_engine.Head.Header.Timestamp);
        Log.RaftStarting(_logger, _settings.Name, _settings.Listen.ToString(), Transport, _settings.LowerElectionTimeout, _settings.UpperElectionTimeout,
            _settings.RequestTimeout);
        if (_settings.Tls is { } tls)
        {
            Log.RaftIdentity(_logger, tls.PeerAuthentication, tls.Certificate.Subject, _nodeKey.Id.ToString(),
                string.Join(", ", _settings.Directory().Select(m => $"{m.Name} ({m.Organisation}, {m.Raft}, key {m.NodeKey[..16]}…)")));
            tls.PeerRefused += (key, reason) => Log.PeerRefused(_logger, reason, key ?? "none");
        }
        try
        {
            await _cluster.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex.GetBaseException() is ConsensusDivergenceException && Certification.Divergence is { } divergence)
        {
            // The replay of the log at start-up reached a block the majority certified differently: Raft does not start, the
            // API serves the evidence and refuses submissions.
            Diverged?.Invoke(divergence);
            Log.StoodAside(_logger);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, _clock, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            return;
        }
        try
        {
            await Task.WhenAll(HandOffBatchesAsync(cancellationToken), SendVotesAsync(cancellationToken), ReconcileMembersAsync(cancellationToken),
                StandAsideWhenDivergedAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await _cluster.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Waits (at most <paramref name="within"/>) until this node has applied everything committed before the
    /// call and the blocks are in its store (applying writes them in the background): a linearizable read.
    /// False when that cannot be known in time (no majority reachable).
    /// </summary>
    public async Task<bool> TryReadBarrierAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(within);
        try
        {
            await _cluster.ApplyReadBarrierAsync(timeout.Token);
            await _engine.FlushAsync().WaitAsync(timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>On the leader: replicates votes another node sent. False when this node does not lead.</summary>
    public async Task<bool> ReplicateVotesAsync(RaftEntry.VotesEntry votes, CancellationToken cancellationToken)
    {
        if (!IsLeader)
        {
            return false;
        }
        await _cluster.ReplicateAsync(votes.Encode(), null, cancellationToken);
        return true;
    }

    /// <summary>This node's view of the network.</summary>
    public ConsensusStatus Status()
    {
        var divergence = Certification.Divergence;
        return new ConsensusStatus("raft", _settings.Name, _cluster.Leader?.EndPoint.ToString(), IsLeader, _cluster.Term,
            _wal.LastCommittedEntryIndex, _stateMachine.AppliedIndex, _engine.Head.Header.Height,
            _store.GetHighestCertifiedHeight(Certification.Majority), Certification.Majority,
            _cluster.Members.Select(m => m.EndPoint.ToString()!).ToList(),
            Certification.FaultEvidence().Select(v => new FaultView(v.Signature.Signer.ToString(), v.Height, v.HeaderHash.ToString(),
                Convert.ToBase64String(v.Signature.Signature.Span))).ToList(),
            divergence is null ? null : new DivergenceView(divergence.Height, divergence.OwnHeader.ToString(), divergence.MajorityHeader.ToString(),
                divergence.MajoritySignatures.Select(s => s.Signer.ToString()).ToList()),
            Transport, _settings.Tls?.PeerAuthentication ?? "none", _settings.Tls?.Refused ?? 0, Peers());
    }

    // The Raft members, named from the directory (a member the directory does not know is listed by its address alone).
    private List<PeerView> Peers()
    {
        var directory = _settings.Directory();
        return _cluster.Members.Select(m => m.EndPoint.ToString()!).Select(endpoint =>
            directory.FirstOrDefault(d => d.Raft == endpoint) is { } known
                ? new PeerView(known.Name, known.Organisation, known.NodeKey, known.Raft, known.Api)
                : new PeerView("", "", "", endpoint, "")).ToList();
    }

    /// <summary>How Raft traffic travels: mutual TLS with certificates for the validators' keys, or plain TCP.</summary>
    public string Transport => _settings.Tls is null ? "tcp" : "mutual-tls";

    /// <summary>The API base URL of the current leader, or null.</summary>
    public string? LeaderApi => _cluster.Leader is { } leader ? _settings.Directory().FirstOrDefault(m => m.RaftEndPoint.Equals(leader.EndPoint))?.Api : null;

    // The leader brings Raft's membership to what governance decided on the ledger, one change at a
    // time (a new node is caught up by DotNext before it counts towards the majority).
    private async Task ReconcileMembersAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), _clock, cancellationToken);
            if (!IsLeader)
            {
                continue;
            }
            try
            {
                var desired = _settings.Directory().Select(m => m.RaftEndPoint).ToList();
                var actual = _cluster.Members.Select(m => m.EndPoint).OfType<IPEndPoint>().ToList();
                if (desired.FirstOrDefault(d => !actual.Contains(d)) is { } missing)
                {
                    var added = await _cluster.AddMemberAsync(missing, cancellationToken);
                    Log.MembershipChanged(_logger, "added", missing.ToString(), added);
                }
                else if (actual.FirstOrDefault(a => !desired.Contains(a)) is { } removed)
                {
                    var done = await _cluster.RemoveMemberAsync(removed, cancellationToken);
                    Log.MembershipChanged(_logger, "removed", removed.ToString(), done);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Log.HandOffFailed(_logger, 0, "membership change: " + ex.Message);
            }
        }
    }

    private async Task HandOffBatchesAsync(CancellationToken cancellationToken)
    {
        using var inFlight = new SemaphoreSlim(MaxBatchesInFlight);
        var running = new List<Task>();
        await foreach (var batch in _mempool.ReadBatchesAsync(cancellationToken))
        {
            await inFlight.WaitAsync(cancellationToken);
            running.RemoveAll(t => t.IsCompleted);
            running.Add(HandOffAsync(batch, cancellationToken).ContinueWith(_ => inFlight.Release(), TaskScheduler.Default));
        }
        await Task.WhenAll(running);
    }

    // The leader replicates the batch; a follower gives it to the leader's API. What fails is retried
    // (a copy that did get through is dropped at execution: a transaction id is on the ledger once).
    private async Task HandOffAsync(OrderedBatch batch, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var live = new List<Transaction>(batch.Transactions.Count);
        foreach (var tx in batch.Transactions)
        {
            if (tx.NotAfter < now)
            {
                Dropped?.Invoke(tx);
            }
            else
            {
                live.Add(tx);
            }
        }
        if (live.Count == 0)
        {
            return;
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Volatile.Read(ref _leaderTerm).Token);
            timeout.CancelAfter(HandOffTimeout);
            if (IsLeader)
            {
                var entry = new RaftEntry.BatchEntry(batch.Timestamp, _nodeKey.Id, live.Select(t => t.Encoded).ToList());
                // The parsed batch rides along as the entry's context, so the leader does not parse it again when applying
                // (the state machine uses it only if the committed entry holds exactly these bytes).
                var encoded = entry.Encode();
                await _cluster.ReplicateAsync(encoded, new ReplicatedBatch(encoded, new OrderedBatch(batch.Timestamp, live, _nodeKey.Id)), timeout.Token);
            }
            else if (LeaderApi is { } api)
            {
                var body = new { transactions = live.Select(t => Convert.ToBase64String(t.Encoded.Span)).ToList() };
                using var response = await _http.PostAsJsonAsync(new Uri(new Uri(api), "/api/v1/transactions/batch"), body, timeout.Token);
                response.EnsureSuccessStatusCode();
            }
            else
            {
                throw new InvalidOperationException("No leader is known.");
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.HandOffFailed(_logger, live.Count, ex.Message);
            await Task.Delay(RetryDelay, _clock, cancellationToken);
            foreach (var tx in live)
            {
                _mempool.TryEnqueue(tx);
            }
        }
    }

    // A node that diverged from the majority must not order for the others: it gives up leadership and stays a standby member
    // (it still votes in elections, so the majority keeps its quorum, but it is never elected again).
    private async Task StandAsideWhenDivergedAsync(CancellationToken cancellationToken)
    {
        while (Certification.Divergence is null)
        {
            await Task.Delay(VoteInterval, _clock, cancellationToken);
        }
        Diverged?.Invoke(Certification.Divergence);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (IsLeader)
                {
                    await ((DotNext.Net.Cluster.ICluster)_cluster).ResignAsync(cancellationToken);
                }
                else
                {
                    await _cluster.EnableStandbyModeAsync(cancellationToken);
                    Log.StoodAside(_logger);
                    return;
                }
            }
            catch (InvalidOperationException)
            {
                // Standby cannot be entered while leading or standing for election; try again shortly.
            }
            await Task.Delay(VoteInterval, _clock, cancellationToken);
        }
    }

    private async Task SendVotesAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(VoteInterval, _clock, cancellationToken);
            var votes = Certification.TakeOutbox();
            if (votes.Count == 0)
            {
                continue;
            }
            try
            {
                var entry = new RaftEntry.VotesEntry(votes);
                if (IsLeader)
                {
                    await _cluster.ReplicateAsync(entry.Encode(), null, cancellationToken);
                }
                else if (LeaderApi is { } api)
                {
                    using var content = new ByteArrayContent(entry.Encode());
                    content.Headers.ContentType = new("application/cbor");
                    using var response = await _http.PostAsync(new Uri(new Uri(api), "/api/v1/consensus/votes"), content, cancellationToken);
                    response.EnsureSuccessStatusCode();
                }
                else
                {
                    Certification.Return(votes);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Log.HandOffFailed(_logger, votes.Count, ex.Message);
                Certification.Return(votes);
                await Task.Delay(RetryDelay, _clock, cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _engine.BlockCommitted -= Certification.Vote;
        await _cluster.DisposeAsync();
        await _wal.DisposeAsync();
        _http.Dispose();
    }
}
