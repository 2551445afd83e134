using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Core.Merkle;
using CareLedger.Ledger.Execution;
using CareLedger.Storage;
using Microsoft.Data.Sqlite;

namespace CareLedger.Ledger.Audit;

/// <summary>
/// What a node checks before it serves, and what it loads only through those checks:
/// <list type="bullet">
/// <item>the head block: signed by a validator, linked to its parent, its transactions and results matching its header,
/// the stored Merkle frontier reproducing its log root;</item>
/// <item>the recent blocks, walked back from the head by hash (at least <see cref="MinimumRecentBlocks"/>, and every block
/// inside the longest validity window): their transaction roots, every derived column, each result's leaf; the replay
/// window is rebuilt from these transactions' signed bytes, never from a derived column;</item>
/// <item>the whole state, summed into its lattice hash and compared with the head's state set.</item>
/// </list>
/// Anything wrong is a <see cref="StoreCorruptedException"/> naming the height (or the table); the node refuses to start.
/// </summary>
public static class StartupCheck
{
    /// <summary>Blocks below the head checked however old they are.</summary>
    public const int MinimumRecentBlocks = 16;

    /// <summary>
    /// Checks the head and the recent blocks; returns the replay window rebuilt from their signed transactions. The head
    /// must be signed by a genesis validator or by <paramref name="nodeKey"/> (a node that joined a consortium later signs
    /// with a key governance approved after the genesis).
    /// </summary>
    public static NonceWindow Verify(LedgerStore store, GenesisDocument genesis, PublicKey? nodeKey = null)
    {
        try
        {
            var head = store.GetHead() ?? throw new StoreCorruptedException("The store has no blocks.");
            VerifyHead(store, head, genesis, nodeKey);
            return RecentBlocks(store, head.Header);
        }
        catch (StoreCorruptedException ex) when (!ex.Message.EndsWith("on the data directory.", StringComparison.Ordinal))
        {
            throw new StoreCorruptedException($"The store does not verify: {ex.Message} Run 'careledger verify' on the data directory.", ex);
        }
        catch (Exception ex) when (ex is SqliteException or FormatException or InvalidCastException)
        {
            throw new StoreCorruptedException($"The store cannot be read ({ex.Message}). Run 'careledger verify' on the data directory.", ex);
        }
    }

    /// <summary>
    /// The lattice hash of the stored state, once its checksum is found equal to <paramref name="head"/>'s state set; a
    /// changed, added or removed row fails.
    /// </summary>
    public static LatticeHash StateSetOf(LedgerStore store, BlockHeader head)
    {
        LatticeHash set;
        try
        {
            set = StateSet.Of(store.ReadState().Select(row => KeyValuePair.Create(row.Key, row.Value)));
        }
        catch (Exception ex) when (ex is SqliteException or AggregateException)
        {
            throw new StoreCorruptedException($"The state table cannot be read ({ex.GetBaseException().Message}). Run 'careledger verify' on the data directory.", ex);
        }
        if (set.Checksum() != head.StateSet)
        {
            throw new StoreCorruptedException(
                $"The state table does not match the state set of the head block {head.Height}: a row was changed, added or removed. Run 'careledger verify' on the data directory.");
        }
        return set;
    }

    private static void VerifyHead(LedgerStore store, SignedBlockHeader head, GenesisDocument genesis, PublicKey? nodeKey)
    {
        var trusted = new Dictionary<KeyId, PublicKey>(genesis.ValidatorKeys());
        if (nodeKey is not null)
        {
            trusted[nodeKey.Id] = nodeKey;
        }
        var h = head.Header.Height;
        Block block;
        try
        {
            block = store.GetBlock(h) ?? throw Corrupt(h, "it cannot be read");
        }
        catch (StoreCorruptedException ex) when (!ex.Message.StartsWith("Block ", StringComparison.Ordinal))
        {
            throw Corrupt(h, ex.Message.TrimEnd('.'));
        }
        var problem = BlockChecks.CheckHeaderAndBody(block, genesis, trusted, h == 0 ? null : store.GetHeader(h - 1)?.Header);
        if (problem is null)
        {
            try
            {
                if (new MerkleLog(store, head.Header.LogSize).Root() != head.Header.LogRoot)
                {
                    problem = "the stored Merkle log does not reproduce the header's log root";
                }
            }
            catch (KeyNotFoundException ex)
            {
                problem = $"the Merkle log is incomplete ({ex.Message})";
            }
        }
        if (problem is not null)
        {
            throw Corrupt(h, problem);
        }
    }

    // Walks down from the head by hash, so every block checked is bound to the signed head whatever its stored columns say.
    private static NonceWindow RecentBlocks(LedgerStore store, BlockHeader head)
    {
        var nonces = new NonceWindow();
        var since = head.Timestamp - (long)BlockExecutor.MaxValidityWindow.TotalMilliseconds;
        var expected = head.Hash;
        for (var (h, walked) = (head.Height, 0); h >= 1; h--, walked++)
        {
            var stored = store.GetStoredBlock(h) ?? throw Corrupt(h, "it is missing below the head");
            var block = stored.Block;
            var header = block.Header;
            if (header.Hash != expected)
            {
                throw Corrupt(h, "its header is not the one the block above it links to");
            }
            if (header.Timestamp < since && walked >= MinimumRecentBlocks)
            {
                break;
            }
            expected = header.PreviousHash;
            var problem = BlockChecks.CheckResultCount(header, block.Results.Count)
                ?? (block.Transactions.Count != header.TransactionCount || BlockChecks.TransactionRoot(block.Transactions) != header.TransactionRoot
                    ? "its transactions do not match the header's transaction root" : null);
            if (problem is not null)
            {
                throw Corrupt(h, problem);
            }
            var results = block.Results.Select((bytes, i) => ParseResult(bytes, h, i)).ToList();
            for (var i = 0; i < results.Count; i++)
            {
                if (results[i].TransactionId != block.Transactions[i].Id || results[i].Height != h || results[i].Index != i)
                {
                    throw Corrupt(h, $"result {i} does not belong to transaction {i} of this block");
                }
            }
            if (StoredRowsCheck.ColumnsProblem(stored, i => results[i].Status) is { } columns)
            {
                throw new StoreCorruptedException($"Block {h} does not verify: {columns}. Run 'careledger verify' on the data directory.");
            }
            var leaves = store.GetLeafHashes(header.LogSize - header.TransactionCount, header.LogSize);
            for (var i = 0; i < block.Results.Count; i++)
            {
                if (i >= leaves.Count || leaves[i] != MerkleHasher.HashLeaf(block.Results[i]))
                {
                    throw Corrupt(h, $"result {i} does not match its leaf in the Merkle log");
                }
            }
            foreach (var tx in block.Transactions)
            {
                if (tx.NotAfter >= head.Timestamp)
                {
                    nonces.Add(tx.Signer, tx.Nonce, tx.NotAfter);
                }
            }
        }
        return nonces;
    }

    private static TransactionResult ParseResult(byte[] bytes, long height, int index)
    {
        try
        {
            return TransactionResultCodec.Parse(bytes);
        }
        catch (FormatException ex)
        {
            throw Corrupt(height, $"result {index} cannot be decoded ({ex.Message})");
        }
    }

    private static StoreCorruptedException Corrupt(long height, string problem) =>
        new($"Block {height} does not verify: {problem}. Run 'careledger verify' on the data directory.");
}
