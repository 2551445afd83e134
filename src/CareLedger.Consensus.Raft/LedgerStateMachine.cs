using System.Buffers;
using CareLedger.Core.Ledger;
using CareLedger.Ledger;
using CareLedger.Ledger.Ordering;
using CareLedger.Storage;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging;

namespace CareLedger.Consensus.Raft;

/// <summary>
/// Applies committed Raft entries to the ledger, in log order, on every node: a batch becomes the next
/// block (executed here, signatures checked again), votes go to <see cref="Certification"/>. The Raft index
/// of the last applied entry is written in the same SQL transaction as its effect, so the replay of the
/// log at start-up skips what the store already holds and nothing is applied twice.
/// </summary>
internal sealed class LedgerStateMachine : IStateMachine
{
    public const string AppliedIndexKey = "raft.applied";

    private readonly LedgerEngine _engine;
    private readonly Certification _certification;
    private readonly ILogger _logger;
    private long _applied;

    public LedgerStateMachine(LedgerEngine engine, LedgerStore store, Certification certification, ILogger logger)
    {
        _engine = engine;
        _certification = certification;
        _logger = logger;
        _applied = store.GetMeta(AppliedIndexKey) is { Length: 8 } bytes ? BitConverter.ToInt64(bytes) : 0;
    }

    /// <summary>Index of the last entry whose effect is in the store.</summary>
    public long AppliedIndex => Volatile.Read(ref _applied);

    public ISnapshot? Snapshot => null;

    public ValueTask ReclaimGarbageAsync(long lowerSnapshotIndex, CancellationToken token) => ValueTask.CompletedTask;

    public async ValueTask<long> ApplyAsync(LogEntry entry, CancellationToken token)
    {
        if (entry.Index <= _applied || entry.IsConfiguration)
        {
            return entry.Index;
        }
        // Only the committed entry's bytes may be applied: a cached parse counts only when it is provably of those bytes.
        if (entry.Context is ReplicatedBatch cached && entry.TryGetPayload(out var bytes) && cached.ParsedIfSameAs(bytes) is { } parsed)
        {
            await _engine.CommitPipelinedAsync(parsed, AppliedMeta(entry.Index));
            Volatile.Write(ref _applied, entry.Index);
            return entry.Index;
        }
        var payload = Payload(entry);
        if (payload.Length > 0)
        {
            await ApplyAsync(entry.Index, payload);
        }
        return entry.Index;
    }

    // A batch is executed at once and written while the next entry is applied (the engine's pipeline);
    // votes wait for the blocks they are about to be on disk.
    private async Task ApplyAsync(long index, byte[] payload)
    {
        var meta = AppliedMeta(index);
        RaftEntry decoded;
        try
        {
            decoded = RaftEntry.Decode(payload);
        }
        catch (FormatException ex)
        {
            Log.BadEntry(_logger, index, ex.Message);
            return;
        }
        switch (decoded)
        {
            case RaftEntry.BatchEntry batch:
                await _engine.CommitPipelinedAsync(new OrderedBatch(batch.Timestamp, Parse(batch.Transactions), batch.Proposer), meta);
                break;
            case RaftEntry.VotesEntry votes:
                await _engine.FlushAsync();
                _certification.Apply(votes.Votes, meta);
                break;
        }
        Volatile.Write(ref _applied, index);
    }

    private static KeyValuePair<string, byte[]>[] AppliedMeta(long index) => [KeyValuePair.Create(AppliedIndexKey, BitConverter.GetBytes(index))];

    // An unparseable transaction can only come from a faulty leader; every node drops it alike.
    private static List<Transaction> Parse(IReadOnlyList<ReadOnlyMemory<byte>> encoded)
    {
        var txs = new List<Transaction>(encoded.Count);
        foreach (var bytes in encoded)
        {
            try
            {
                txs.Add(TransactionCodec.Parse(bytes));
            }
            catch (FormatException)
            {
            }
        }
        return txs;
    }

    private static byte[] Payload(in LogEntry entry)
    {
        if (entry.TryGetPayload(out var sequence))
        {
            return sequence.ToArray();
        }
        return entry.GetPayload().SelectMany(m => m.ToArray()).ToArray();
    }
}
