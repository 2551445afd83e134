using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Core.Merkle;
using CareLedger.Ledger.Execution;
using CareLedger.Storage;

namespace CareLedger.Ledger.Audit;

/// <summary>
/// Audits a chain without trusting whoever stored it: every header link and signature, every
/// transaction signature (in parallel), transaction roots, re-execution of every transaction with
/// results compared byte for byte, the Merkle log's size and root after each block, the state digest
/// chain, and finally the stored state rows against the state rebuilt by re-execution.
/// </summary>
public sealed class ChainAuditor(GenesisDocument genesis, IReadOnlyList<StateWrite> genesisState, BlockExecutor executor)
{
    private readonly IReadOnlyDictionary<KeyId, PublicKey> _validators = genesis.ValidatorKeys();

    /// <summary>Audits <paramref name="blocks"/> (from genesis, in order) and, when given, the stored state rows.</summary>
    public AuditReport Audit(IEnumerable<Block> blocks, IEnumerable<(string Key, byte[] Value, long Height)>? stateRows,
        IProgress<long>? transactionsDone = null)
    {
        var state = new MemoryState();
        var nodes = new MemoryMerkleNodeStore();
        var log = new MerkleLog(nodes, 0);
        var nonces = new NonceWindow();
        BlockHeader? previous = null;
        long blockCount = 0, txCount = 0;
        try
        {
            foreach (var block in blocks)
            {
                var header = block.Header;
                if (BlockChecks.CheckHeaderAndBody(block, genesis, _validators, previous) is { } problem)
                {
                    return Fail(header.Height, problem);
                }
                Hash writesDigest;
                if (previous is null)
                {
                    var ordered = genesisState.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => KeyValuePair.Create(w.Key, w.Value)).ToList();
                    writesDigest = StateOverlay.DigestOf(ordered);
                    state.Apply(ordered, 0);
                }
                else
                {
                    var executed = executor.Execute(new BlockContext(genesis.Chain, header.Height, header.Timestamp), block.Transactions, state, nonces);
                    if (FirstBadSignature(block.Transactions, executed.SignerKeys) is { } bad)
                    {
                        return Fail(header.Height, $"transaction {bad} ({block.Transactions[bad].Id}) has a bad signature");
                    }
                    for (var i = 0; i < executed.Results.Count; i++)
                    {
                        var expected = TransactionResultCodec.Encode(executed.Results[i]);
                        if (!expected.AsSpan().SequenceEqual(TransactionResultCodec.Encode(block.Results[i])))
                        {
                            return Fail(header.Height, $"re-executing transaction {i} ({block.Transactions[i].Id}) gives a different result than the one recorded");
                        }
                        nodes.Put(log.Append(TransactionResultCodec.LeafHash(executed.Results[i])));
                    }
                    writesDigest = executed.WritesDigest;
                    state.Apply(executed.BlockWrites.Writes, header.Height);
                }
                if (log.Size != header.LogSize || log.Root() != header.LogRoot)
                {
                    return Fail(header.Height, "the log size or root in the header does not match the results");
                }
                var stateDigest = StateOverlay.ChainStateDigest(previous?.StateDigest ?? Hash.Zero, writesDigest);
                if (stateDigest != header.StateDigest)
                {
                    return Fail(header.Height, "the state digest in the header does not match the re-executed writes");
                }
                previous = header;
                blockCount++;
                txCount += block.Transactions.Count;
                transactionsDone?.Report(txCount);
            }
        }
        catch (StoreCorruptedException ex)
        {
            return Fail((previous?.Height ?? -1) + 1, ex.Message);
        }
        if (previous is null)
        {
            return Fail(0, "there is no genesis block");
        }
        if (stateRows is not null && CompareState(state, stateRows) is { } stateFailure)
        {
            return new AuditReport(blockCount, txCount, state.Count, stateFailure);
        }
        return new AuditReport(blockCount, txCount, state.Count, null);

        AuditReport Fail(long height, string reason) => new(blockCount, txCount, state.Count, new AuditFailure(height, reason));
    }

    private static int? FirstBadSignature(IReadOnlyList<Transaction> txs, IReadOnlyList<PublicKey?> keys)
    {
        var bad = int.MaxValue;
        Parallel.For(0, txs.Count, i =>
        {
            var key = keys[i];
            if (key is null || !key.Verify(TransactionCodec.SignedBytes(txs[i]), txs[i].Signature.Span))
            {
                InterlockedMin(ref bad, i);
            }
        });
        return bad == int.MaxValue ? null : bad;
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
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value, height) in rows)
        {
            seen.Add(key);
            if (!expected.TryGet(key, out var v, out var h))
            {
                return new AuditFailure(height, $"state key '{key}' exists but no transaction wrote it");
            }
            if (h != height || !v.AsSpan().SequenceEqual(value))
            {
                return new AuditFailure(Math.Min(h, height), $"state key '{key}' differs from what block {h} wrote");
            }
        }
        var missing = expected.Keys.FirstOrDefault(k => !seen.Contains(k));
        if (missing is not null)
        {
            expected.TryGet(missing, out _, out var h);
            return new AuditFailure(h, $"state key '{missing}' written at height {h} is missing");
        }
        return null;
    }
}
