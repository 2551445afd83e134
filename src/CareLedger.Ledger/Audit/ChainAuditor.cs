using System.Threading.Channels;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Core.Merkle;
using CareLedger.Ledger.Execution;
using CareLedger.Storage;

namespace CareLedger.Ledger.Audit;

/// <summary>
/// Audits a chain without trusting whoever stored it: every header link and signature, every
/// transaction signature, transaction roots, re-execution of every transaction with results compared
/// byte for byte, the Merkle log's size and root after each block, the state digest chain and state set, and finally
/// the stored state rows against the state rebuilt by re-execution. Given an <see cref="IStoredBlockCheck"/>, it also
/// has a store's derived rows checked against each replayed block. Signatures are checked on the
/// other cores while re-execution (which must be sequential) goes on.
/// </summary>
public sealed class ChainAuditor(GenesisDocument genesis, IReadOnlyList<StateWrite> genesisState, BlockExecutor executor)
{
    private readonly IReadOnlyDictionary<KeyId, PublicKey> _validators = genesis.ValidatorKeys();

    /// <summary>Audits <paramref name="blocks"/> (from genesis, in order) and, when given, the stored state rows.</summary>
    public AuditReport Audit(IEnumerable<RecordedBlock> blocks, IEnumerable<(string Key, byte[] Value, long Height)>? stateRows,
        IProgress<long>? transactionsDone = null, IStoredBlockCheck? stored = null)
    {
        var signatureWork = Channel.CreateBounded<SignatureBatch>(new BoundedChannelOptions(64) { SingleWriter = true, SingleReader = true });
        var signatures = Task.Run(() => FirstBadSignatureAsync(signatureWork.Reader));
        var (report, state) = Replay(blocks, signatureWork.Writer, transactionsDone, stored);
        signatureWork.Writer.TryComplete();
        var badSignature = signatures.GetAwaiter().GetResult();
        if (badSignature is not null && (report.Failure is null || badSignature.Height <= report.Failure.Height))
        {
            return report with { Failure = badSignature };
        }
        if (report.Failure is null && stateRows is not null && CompareState(state, stateRows) is { } stateFailure)
        {
            return report with { Failure = stateFailure };
        }
        return report;
    }

    private (AuditReport Report, MemoryState State) Replay(IEnumerable<RecordedBlock> blocks, ChannelWriter<SignatureBatch> signatureWork,
        IProgress<long>? progress, IStoredBlockCheck? stored)
    {
        var state = new MemoryState();
        var stateSet = new LatticeHash();
        // Only the log's right edge is needed to recompute its roots; no proofs are asked of it.
        var log = new MerkleLog(MerkleHasher.FrontierOnly.Instance, 0);
        var nonces = new NonceWindow();
        BlockHeader? previous = null;
        long blockCount = 0, txCount = 0;
        AuditReport Fail(long height, string reason) => new(blockCount, txCount, state.Count, new AuditFailure(height, reason));
        try
        {
            foreach (var block in blocks)
            {
                var header = block.Header;
                if ((BlockChecks.CheckHeader(block.SignedHeader, block.Transactions, genesis, _validators, previous)
                        ?? BlockChecks.CheckResultCount(header, block.Results.Count)) is { } problem)
                {
                    return (Fail(header.Height, problem), state);
                }
                Hash writesDigest;
                IReadOnlyList<TransactionResult> results = [];
                var appended = new List<MerkleNode>();
                if (previous is null)
                {
                    var ordered = genesisState.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => KeyValuePair.Create(w.Key, w.Value)).ToList();
                    writesDigest = StateOverlay.DigestOf(ordered);
                    stateSet = StateSet.Of(ordered.Select(w => KeyValuePair.Create(w.Key, w.Value!)));
                    state.Apply(ordered, 0);
                }
                else
                {
                    var executed = executor.Execute(new BlockContext(genesis.Chain, header.Height, header.Timestamp), block.Transactions, state, nonces);
                    signatureWork.WriteAsync(new SignatureBatch(header.Height, block.Transactions, executed.SignerKeys)).AsTask().GetAwaiter().GetResult();
                    for (var i = 0; i < executed.Results.Count; i++)
                    {
                        // Byte equality with the recorded entry also checks that it names this transaction, height and index.
                        var expected = TransactionResultCodec.Encode(executed.Results[i]);
                        if (!expected.AsSpan().SequenceEqual(block.Results[i]))
                        {
                            return (Fail(header.Height, $"re-executing transaction {i} ({block.Transactions[i].Id}) gives a different result than the one recorded"), state);
                        }
                        appended.AddRange(log.Append(MerkleHasher.HashLeaf(expected)));
                    }
                    writesDigest = executed.WritesDigest;
                    results = executed.Results;
                    StateSet.Apply(stateSet, executed.BlockWrites.Writes, state, onEveryCore: false);
                    state.Apply(executed.BlockWrites.Writes, header.Height);
                }
                if (log.Size != header.LogSize || log.Root() != header.LogRoot)
                {
                    return (Fail(header.Height, "the log size or root in the header does not match the results"), state);
                }
                if (StateOverlay.ChainStateDigest(previous?.StateDigest ?? Hash.Zero, writesDigest) != header.StateDigest)
                {
                    return (Fail(header.Height, "the state digest in the header does not match the re-executed writes"), state);
                }
                if (stateSet.Checksum() != header.StateSet)
                {
                    return (Fail(header.Height, "the state set in the header does not match the state after re-execution"), state);
                }
                if (stored?.Check(block, results, appended) is { } storedFailure)
                {
                    return (new AuditReport(blockCount, txCount, state.Count, storedFailure), state);
                }
                previous = header;
                blockCount++;
                txCount += block.Transactions.Count;
                progress?.Report(txCount);
            }
        }
        catch (StoreCorruptedException ex)
        {
            var failure = new AuditFailure((previous?.Height ?? -1) + 1, ex.Message) { Table = ex.Table, Row = ex.Row };
            return (new AuditReport(blockCount, txCount, state.Count, failure), state);
        }
        return previous is null
            ? (Fail(0, "there is no genesis block"), state)
            : (new AuditReport(blockCount, txCount, state.Count, null), state);
    }

    private sealed record SignatureBatch(long Height, IReadOnlyList<Transaction> Transactions, IReadOnlyList<PublicKey?> Keys);

    // The first block (lowest height) holding a transaction whose signature does not verify with its signer's key.
    private static async Task<AuditFailure?> FirstBadSignatureAsync(ChannelReader<SignatureBatch> work)
    {
        await foreach (var batch in work.ReadAllAsync())
        {
            var bad = int.MaxValue;
            Parallel.For(0, batch.Transactions.Count, i =>
            {
                var key = batch.Keys[i];
                var tx = batch.Transactions[i];
                if (key is null || !key.Verify(TransactionCodec.SignedBytes(tx), tx.Signature.Span))
                {
                    InterlockedMin(ref bad, i);
                }
            });
            if (bad != int.MaxValue)
            {
                return new AuditFailure(batch.Height, $"transaction {bad} ({batch.Transactions[bad].Id}) has a bad signature");
            }
        }
        return null;
    }

    private static void InterlockedMin(ref int target, int value)
    {
        int current;
        while (value < (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private static AuditFailure? CompareState(MemoryState expected, IEnumerable<(string Key, byte[] Value, long Height)> rows)
    {
        var seen = 0;
        foreach (var (key, value, height) in rows)
        {
            seen++;
            if (!expected.TryGet(key, out var v, out var h))
            {
                return new AuditFailure(height, $"state key '{key}' exists but no transaction wrote it") { Table = "state", Row = key };
            }
            if (h != height || !v.AsSpan().SequenceEqual(value))
            {
                return new AuditFailure(Math.Min(h, height), $"state key '{key}' differs from what block {h} wrote") { Table = "state", Row = key };
            }
        }
        if (seen != expected.Count)
        {
            // Every stored row matched a re-executed key, so some re-executed key has no row.
            var stored = new HashSet<string>(rows.Select(r => r.Key), StringComparer.Ordinal);
            var missing = expected.Keys.First(k => !stored.Contains(k));
            expected.TryGet(missing, out _, out var h);
            return new AuditFailure(h, $"state key '{missing}' written at height {h} is missing") { Table = "state", Row = missing };
        }
        return null;
    }
}
