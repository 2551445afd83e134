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
/// <item>the head: signed by a validator and linked to its parent;</item>
/// <item>the blocks below it, walked down by hash over the longest validity window: each block's transaction root binds
/// the signed transactions the replay window is rebuilt from (never from a derived column); for the head and the
/// <see cref="MinimumRecentBlocks"/> blocks below it also the results, every derived column and each result's leaf;</item>
/// <item>the whole stored Merkle tree: every node above the leaves the hash of its two children, each level exactly as
/// long as the log implies, and the frontier reproducing the head's log root;</item>
/// <item>the whole state, summed into its lattice hash and compared with the head's state set.</item>
/// </list>
/// Anything wrong is a <see cref="StoreCorruptedException"/> naming the height (or the table); the node refuses to start.
/// </summary>
public static class StartupCheck
{
    /// <summary>Blocks below the head checked however old they are.</summary>
    public const int MinimumRecentBlocks = 16;

    /// <summary>
    /// Runs every check, the walk down the recent blocks, the Merkle tree and the state sum side by side; returns the replay
    /// window rebuilt from the signed transactions and the state's lattice hash. The head must be signed by a genesis
    /// validator or by <paramref name="nodeKey"/> (a node that joined a consortium later signs with a key governance
    /// approved after the genesis). Throws <see cref="StoreCorruptedException"/>; the walk's finding comes first.
    /// </summary>
    public static (NonceWindow Nonces, LatticeHash StateSet) Run(LedgerStore store, GenesisDocument genesis, PublicKey? nodeKey = null)
    {
        var head = Guarded(() => store.GetHead() ?? throw new StoreCorruptedException("The store has no blocks."));
        var walk = Task.Run(() => Guarded(() => RecentBlocks(store, head, genesis, Trusted(genesis, nodeKey))));
        var tree = Task.Run(() => Guarded(() => CheckMerkleTree(store, head.Header)));
        var state = Task.Run(() => StateSetOf(store, head.Header));
        try
        {
            Task.WaitAll(walk, tree, state);
        }
        catch (AggregateException)
        {
            var first = new Task[] { walk, tree, state }.First(t => t.IsFaulted).Exception!.GetBaseException();
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }
        return (walk.Result, state.Result);
    }

    private static Dictionary<KeyId, PublicKey> Trusted(GenesisDocument genesis, PublicKey? nodeKey)
    {
        var trusted = new Dictionary<KeyId, PublicKey>(genesis.ValidatorKeys());
        if (nodeKey is not null)
        {
            trusted[nodeKey.Id] = nodeKey;
        }
        return trusted;
    }

    // Every finding is a StoreCorruptedException that tells the operator what to run next.
    private static T Guarded<T>(Func<T> check)
    {
        try
        {
            return check();
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

    // The lattice hash of the stored state, once its checksum is found equal to the head's state set.
    private static LatticeHash StateSetOf(LedgerStore store, BlockHeader head)
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

    // Walks down from the head by hash, so every block checked is bound to the signed head whatever its stored columns say.
    private static NonceWindow RecentBlocks(LedgerStore store, SignedBlockHeader head, GenesisDocument genesis, IReadOnlyDictionary<KeyId, PublicKey> trusted)
    {
        var nonces = new NonceWindow();
        var since = head.Header.Timestamp - (long)BlockExecutor.MaxValidityWindow.TotalMilliseconds;
        var expected = head.Header.Hash;
        for (var (h, walked) = (head.Header.Height, 0); h >= 0; h--, walked++)
        {
            var block = Read(store, h);
            var header = block.Block.Header;
            if (header.Hash != expected)
            {
                throw Corrupt(h, "its header is not the one the block above it links to");
            }
            if (header.Timestamp < since && walked > MinimumRecentBlocks)
            {
                break;
            }
            expected = header.PreviousHash;
            var transactions = block.Block.Transactions;
            // The head's signature and link vouch for every block below it, whose hashes lead to it; each block's transaction
            // root binds the signed transactions the replay window is read from.
            var problem = walked == 0
                ? BlockChecks.CheckHeader(head, transactions, genesis, trusted, h == 0 ? null : store.GetHeader(h - 1)?.Header)
                : BlockChecks.TransactionRoot(transactions) != header.TransactionRoot || transactions.Count != header.TransactionCount
                    ? "its transactions do not match the header's transaction root" : null;
            if (problem is not null)
            {
                throw Corrupt(h, problem);
            }
            if (walked <= MinimumRecentBlocks)
            {
                CheckRows(store, block);
            }
            foreach (var tx in transactions)
            {
                if (tx.NotAfter >= head.Header.Timestamp)
                {
                    nonces.Add(tx.Signer, tx.Nonce, tx.NotAfter);
                }
            }
        }
        return nonces;
    }

    // The rows of a recent block: results in place, every derived column, each result's leaf.
    private static void CheckRows(LedgerStore store, StoredBlock block)
    {
        var header = block.Block.Header;
        var results = block.Block.Results.Select((bytes, i) => ParseResult(bytes, header.Height, i)).ToList();
        if (BlockChecks.CheckResults(header, block.Block.Transactions, results) is { } problem)
        {
            throw Corrupt(header.Height, problem);
        }
        if (StoredRowsCheck.ColumnsProblem(block, i => results[i].Status) is { } columns)
        {
            throw new StoreCorruptedException($"Block {header.Height} does not verify: {columns}. Run 'careledger verify' on the data directory.");
        }
        CheckLeaves(store, header, block.Block.Results);
    }

    private static StoredBlock Read(LedgerStore store, long height)
    {
        try
        {
            return store.GetStoredBlock(height) ?? throw Corrupt(height, "it is missing below the head");
        }
        catch (StoreCorruptedException ex) when (!ex.Message.EndsWith("on the data directory.", StringComparison.Ordinal))
        {
            var what = ex.Table is null ? ex.Message : $"{ex.InnerException?.Message ?? ex.Message} (table {ex.Table}, row {ex.Row})";
            throw Corrupt(height, what.TrimEnd('.'));
        }
    }

    private static void CheckLeaves(LedgerStore store, BlockHeader header, IReadOnlyList<byte[]> results)
    {
        var leaves = store.GetLeafHashes(header.LogSize - header.TransactionCount, header.LogSize);
        for (var i = 0; i < results.Count; i++)
        {
            if (i >= leaves.Count || leaves[i] != MerkleHasher.HashLeaf(results[i]))
            {
                throw Corrupt(header.Height, $"result {i} does not match its leaf in the Merkle log");
            }
        }
    }

    // Streams each level twice, as parents and then as the children of the level above, so memory stays constant.
    private static bool CheckMerkleTree(LedgerStore store, BlockHeader head)
    {
        var size = head.LogSize;
        using var parents = store.OpenMerkleNodeCursors();
        using var children = store.OpenMerkleNodeCursors();
        var top = 0;
        for (var level = 1; size >> level > 0; level++, top++)
        {
            var count = size >> level;
            for (long i = 0; i < count; i++)
            {
                var left = Node(store, children.Next(level - 1), level - 1, 2 * i);
                var right = Node(store, children.Next(level - 1), level - 1, 2 * i + 1);
                if (Node(store, parents.Next(level), level, i) != MerkleHasher.HashChildren(left, right))
                {
                    throw MerkleCorrupt(store, level, i, "is not the hash of its two children");
                }
            }
            if ((size >> (level - 1) & 1) == 1)
            {
                Node(store, children.Next(level - 1), level - 1, 2 * count);
            }
            NoMore(store, children, level - 1);
        }
        if (top == 0)
        {
            for (long i = 0; i < size; i++)
            {
                Node(store, children.Next(0), 0, i);
            }
        }
        NoMore(store, top == 0 ? children : parents, top);
        if (store.FirstMerkleNodeAbove(top) is { } above)
        {
            throw MerkleCorrupt(store, (int)above.Level, above.Index, "is past the log");
        }
        CheckMerkleFrontier(store, head);
        return true;
    }

    private static Hash Node(LedgerStore store, (long Index, byte[] Hash)? found, int level, long index) =>
        found is { } node && node.Index == index ? Hash.FromBytes(node.Hash)
            : throw MerkleCorrupt(store, level, index, found is { } other && other.Index < index ? $"has an extra node {other.Index} before it" : "is missing");

    private static void NoMore(LedgerStore store, LedgerStore.MerkleNodeCursors cursors, int level)
    {
        if (cursors.Next(level) is { } extra)
        {
            throw MerkleCorrupt(store, level, extra.Index, "is past the log");
        }
    }

    // A node is named by the block whose append completed it: the one holding its last leaf.
    private static StoreCorruptedException MerkleCorrupt(LedgerStore store, int level, long index, string problem)
    {
        var lastLeaf = ((index + 1) << level) - 1;
        var height = store.GetHeightOfLogIndex(lastLeaf) ?? -1;
        return new StoreCorruptedException(
            $"Block {height} does not verify: the Merkle node at level {level}, index {index} {problem} (table merkle_nodes, row {level}/{index}). Run 'careledger verify' on the data directory.")
        {
            Table = "merkle_nodes",
            Row = $"{level}/{index}",
        };
    }

    private static void CheckMerkleFrontier(LedgerStore store, BlockHeader head)
    {
        try
        {
            if (new MerkleLog(store, head.LogSize).Root() != head.LogRoot)
            {
                throw Corrupt(head.Height, "the stored Merkle log does not reproduce the header's log root");
            }
        }
        catch (KeyNotFoundException ex)
        {
            throw Corrupt(head.Height, $"the Merkle log is incomplete ({ex.Message})");
        }
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
