using CareLedger.Consensus.Raft;
using CareLedger.Contracts;
using CareLedger.Contracts.Identity;
using CareLedger.Contracts.Network;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Ledger;
using CareLedger.Ledger.Admission;
using CareLedger.Ledger.Audit;
using CareLedger.Ledger.Ordering;
using CareLedger.Node.Operations;
using CareLedger.Storage;

namespace CareLedger.Node;

/// <summary>
/// One node's ledger, wired together: store, engine, admission, ordering (solo, or Raft in a consortium),
/// commit notifications. The API talks to this; the hosted service runs its commit loop.
/// </summary>
public sealed class LedgerNode : IAsyncDisposable
{
    private readonly SoloOrderingService _ordering;
    private readonly SigningKey _nodeKey;

    private LedgerNode(DataDirectory data, LedgerStore store, LedgerEngine engine, SigningKey nodeKey, IdentitySignerDirectory signers,
        BlockCutOptions cut, TimeProvider clock)
    {
        Data = data;
        Store = store;
        Engine = engine;
        Signers = signers;
        _nodeKey = nodeKey;
        _ordering = new SoloOrderingService(cut, clock);
        _ordering.StartAfter(engine.Head.Header.Timestamp);
        Admission = new TransactionAdmission(engine.Chain, signers, engine.State, Pending, () => engine.Nonces, new AdmissionOptions(), clock,
            engine.VerifiesSignatures ? engine.VerifiedSignatures : null);
        engine.BlockCommitted += OnBlockCommitted;
    }

    /// <summary>Raft ordering and certification when the node is part of a consortium; null in solo mode.</summary>
    public RaftConsensus? Raft { get; private set; }

    /// <summary>What this node does after a divergence (consortium mode).</summary>
    internal DivergenceRecovery Recovery { get; private init; } = null!;

    /// <summary>The data directory.</summary>
    public DataDirectory Data { get; }

    /// <summary>The SQLite store.</summary>
    public LedgerStore Store { get; }

    /// <summary>The commit engine.</summary>
    public LedgerEngine Engine { get; }

    /// <summary>Key lookup of the identity contract.</summary>
    public IdentitySignerDirectory Signers { get; }

    /// <summary>Admitted, not yet committed transactions.</summary>
    public PendingTransactions Pending { get; } = new();

    /// <summary>Spans of admissions, commit waits and blocks (<see cref="NodeTracing"/>).</summary>
    public NodeTracing Tracing { get; } = new();

    /// <summary>Wakes callers waiting for a commit.</summary>
    public CommitNotifier Notifier { get; } = new();

    /// <summary>
    /// Raised for each durable block before anyone waiting for its transactions is woken, so that
    /// what a block obliges the node to do (e.g. shred an erased record) is done when they hear of it.
    /// </summary>
    public event Action<Block>? Committed;

    /// <summary>This node's validator key, which signs its headers and checkpoints.</summary>
    public PublicKey NodePublicKey => _nodeKey.PublicKey;

    /// <summary>The head as a C2SP checkpoint signed by this node's key (docs/witnessing.md).</summary>
    public string SignedCheckpoint() => Checkpoint.Of(Engine.Head.Header).Sign(_nodeKey);

    /// <summary>The admission gate.</summary>
    public TransactionAdmission Admission { get; }

    // --verify-on-start full: the node serves only a store that passes the whole audit.
    private static void AuditBeforeServing(LedgerStore store, GenesisDocument genesis)
    {
        var chain = new ChainAuditor(genesis, IdentityGenesis.StateFor(genesis), ContractCatalog.Executor(new IdentitySignerDirectory()));
        if (new StoreAuditor(genesis, chain, NetworkGovernance.EverApprovedKeys).Audit(store).Failure is { } failure)
        {
            throw new StoreCorruptedException($"The full audit at start-up fails: {failure}. Run 'careledger verify' on the data directory.");
        }
    }

    /// <summary>
    /// Opens (initialising on first start) the node's data directory. Throws
    /// <see cref="StoreCorruptedException"/> when the stored head does not verify.
    /// </summary>
    public static LedgerNode Open(NodeOptions options, ILoggerFactory loggers, TimeProvider clock)
    {
        if (options.Consensus is not ("solo" or "raft"))
        {
            throw new NotSupportedException($"Consensus '{options.Consensus}' is unknown; use 'solo' or 'raft'.");
        }
        var raft = options.Consensus == "raft";
        var data = raft ? DataDirectory.Existing(options.DataDirectory, requireLedger: false) : DataDirectory.OpenOrInitialise(options.DataDirectory, options.Chain, clock);
        var genesis = data.ReadGenesis();
        var nodeKey = data.ReadNodeKey();
        var recovery = new DivergenceRecovery(data);
        if (raft)
        {
            recovery.PrepareStart();
        }
        var store = LedgerStore.Open(data.LedgerPath, options.EffectiveCheckpointPages);
        try
        {
            if (options.VerifyOnStart == "full" && store.GetHead() is not null)
            {
                AuditBeforeServing(store, genesis);
            }
            var signers = new IdentitySignerDirectory();
            var engine = LedgerEngine.Open(store, FailPoints.Executor(options.FailPoint, signers), nodeKey, genesis,
                IdentityGenesis.StateFor(genesis), loggers.CreateLogger<LedgerEngine>(), verifiesSignatures: raft);
            var node = new LedgerNode(data, store, engine, nodeKey, signers, options.BlockCut, clock) { Recovery = recovery };
            if (raft)
            {
                var network = Consortium.Settings(data, options, genesis, nodeKey, engine.State);
                node.Raft = new RaftConsensus(network, engine, store, nodeKey, loggers, clock);
                node.Raft.Dropped += node.Pending.Release;
            }
            return node;
        }
        catch
        {
            store.Dispose();
            nodeKey.Dispose();
            throw;
        }
    }

    /// <summary>Admits and queues one encoded transaction.</summary>
    public AdmissionResult Submit(ReadOnlyMemory<byte> encoded) =>
        Unavailable() is { } refusal ? refusal : Enqueue(Admission.Reserve(Admission.Check(encoded)));

    // A transaction this node just signed with a key it holds: admitted without verifying its own signature.
    private AdmissionResult Submitted(Transaction transaction, SigningKey signedWith) =>
        Unavailable() is { } refusal ? refusal : Enqueue(Admission.Reserve(Admission.CheckSignedHere(transaction, signedWith)));

    /// <summary>Admits and queues a batch; checks run in parallel, outcomes keep the input order.</summary>
    public AdmissionResult[] SubmitBatch(IReadOnlyList<ReadOnlyMemory<byte>> batch)
    {
        if (Unavailable() is { } refusal)
        {
            return batch.Select(_ => refusal).ToArray();
        }
        var results = Admission.CheckBatch(batch);
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = Enqueue(Admission.Reserve(results[i]));
        }
        return results;
    }

    /// <summary>
    /// Admits like <see cref="Submit"/>. In a consortium, a signer this node does not know yet may have been
    /// registered a moment ago through another node: it waits on a Raft read barrier (a few seconds at most)
    /// and checks once more, so a client never has to care which node it talks to.
    /// </summary>
    public async Task<AdmissionResult> SubmitAsync(ReadOnlyMemory<byte> encoded, CancellationToken cancellationToken)
    {
        using var span = NodeTracing.Source.StartActivity("careledger.admission");
        var result = await WithSecondLookAsync(() => Submit(encoded), cancellationToken);
        span?.SetTag("careledger.transaction.type", result.Transaction?.Type).SetTag("careledger.outcome", result.Rejection?.Code ?? "accepted");
        return result;
    }

    /// <summary>Admits a batch like <see cref="SubmitBatch"/>, with the same second look as <see cref="SubmitAsync"/>.</summary>
    public async Task<AdmissionResult[]> SubmitBatchAsync(IReadOnlyList<ReadOnlyMemory<byte>> batch, CancellationToken cancellationToken)
    {
        using var span = NodeTracing.Source.StartActivity("careledger.admission")?.SetTag("careledger.batch.size", batch.Count);
        var results = SubmitBatch(batch);
        var unknown = Enumerable.Range(0, results.Length).Where(i => results[i].Rejection?.Code == LedgerErrorCodes.UnknownSigner).ToList();
        if (unknown.Count > 0 && await CatchUpAsync(cancellationToken))
        {
            var retried = SubmitBatch(unknown.Select(i => batch[i]).ToList());
            for (var j = 0; j < unknown.Count; j++)
            {
                results[unknown[j]] = retried[j];
            }
        }
        return results;
    }

    // A signer unknown here may have been registered a moment ago through another node: look once more after a read barrier.
    private async Task<AdmissionResult> WithSecondLookAsync(Func<AdmissionResult> admit, CancellationToken cancellationToken)
    {
        var result = admit();
        return result.Rejection?.Code == LedgerErrorCodes.UnknownSigner && await CatchUpAsync(cancellationToken) ? admit() : result;
    }

    /// <summary>
    /// In a consortium: true once this node has applied everything committed anywhere before the call (a
    /// few seconds at most), so that "unknown here" means unknown. Solo: false, there is nothing to wait for.
    /// </summary>
    public Task<bool> CatchUpAsync(CancellationToken cancellationToken, double seconds = 3) =>
        Raft?.TryReadBarrierAsync(TimeSpan.FromSeconds(seconds), cancellationToken) ?? Task.FromResult(false);

    /// <summary>
    /// Signs a transaction with <paramref name="signer"/> (an organisation's key, a portal user's, the demo's), admits it and waits
    /// (at most 30 s) for its block: the result, or why there is none (malformed arguments, refused admission, no commit in time).
    /// </summary>
    public async Task<Submission> SignAndSubmitAsync(Client.TransactionFactory signer, string type, System.Text.Json.Nodes.JsonNode? args,
        CancellationToken cancellationToken)
    {
        Transaction transaction;
        try
        {
            transaction = signer.Create(type, Core.Encoding.TransactionArgs.FromJson(args));
        }
        catch (FormatException ex)
        {
            return new Submission(null, "tx.malformed", ex.Message);
        }
        using var span = NodeTracing.Source.StartActivity("careledger.admission")?.SetTag("careledger.transaction.type", type);
        var admission = await WithSecondLookAsync(() => Submitted(transaction, signer.Key), cancellationToken);
        span?.SetTag("careledger.outcome", admission.Rejection?.Code ?? "accepted");
        if (admission.Rejection is { } refusal)
        {
            return new Submission(null, refusal.Code, refusal.Message);
        }
        var result = await WaitForCommitAsync(transaction.Id, TimeSpan.FromSeconds(30), cancellationToken);
        return result is null ? new Submission(null, "commit.timeout", "The ledger did not commit in time; it may still go through.")
            : new Submission(result, result.Code, result.Message);
    }

    /// <summary>Waits until <paramref name="id"/> is committed and returns its result; null on timeout.</summary>
    public async Task<TransactionResult?> WaitForCommitAsync(Hash id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var span = NodeTracing.Source.StartActivity("careledger.commit");
        var result = await Notifier.WaitAsync(id, CommittedResult, timeout, cancellationToken);
        span?.SetTag("careledger.block.height", result?.Height).SetTag("careledger.outcome", result?.Code ?? (result is null ? "commit.timeout" : "committed"));
        return result;
    }

    /// <summary>Waits until every one of <paramref name="ids"/> is committed; their results in order, null for those not committed in time.</summary>
    public Task<TransactionResult?[]> WaitForCommitAsync(IReadOnlyList<Hash> ids, TimeSpan timeout, CancellationToken cancellationToken) =>
        Notifier.WaitAllAsync(ids, CommittedResult, timeout, cancellationToken);

    private TransactionResult? CommittedResult(Hash id) => Pending.IsPending(id) ? null : Store.GetTransaction(id)?.Result;

    /// <summary>Runs the commit loop (solo) or the Raft node (consortium) until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Raft is { } raft ? raft.RunAsync(cancellationToken) : Engine.RunAsync(_ordering, cancellationToken);

    // In a consortium nothing can commit without a leader (a majority of nodes), nor on a node that diverged.
    private AdmissionResult? Unavailable() => Raft switch
    {
        null or { CanAccept: true } => null,
        { Certification.Divergence: not null } => AdmissionResult.Refused(ConsensusErrorCodes.Diverged,
            "This node computed a block the network's majority did not certify and has stopped; submit to another node."),
        _ => AdmissionResult.Refused(ConsensusErrorCodes.NoQuorum,
            "No leader: fewer than a majority of the network's nodes are reachable, so nothing can commit. Retry when they are back."),
    };

    private AdmissionResult Enqueue(AdmissionResult result)
    {
        if (result.Accepted && !(Raft?.TryEnqueue(result.Transaction!) ?? _ordering.TryEnqueue(result.Transaction!)))
        {
            Pending.Release(result.Transaction!);
            return AdmissionResult.Refused(LedgerErrorCodes.MempoolFull, "The node is shutting down; retry on another node.", result.Transaction);
        }
        if (result.Accepted)
        {
            Tracing.Admitted(result.Transaction!);
        }
        return result;
    }

    private void OnBlockCommitted(Block block)
    {
        Committed?.Invoke(block);
        foreach (var tx in block.Transactions)
        {
            Pending.Release(tx);
        }
        Notifier.Committed(block);
        Tracing.Committed(block);
    }

    public async ValueTask DisposeAsync()
    {
        if (Raft is not null)
        {
            await Raft.DisposeAsync();
        }
        Store.Dispose();
        _nodeKey.Dispose();
    }
}
