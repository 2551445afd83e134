using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Core.Merkle;
using CareLedger.Storage;

namespace CareLedger.Ledger.Audit;

/// <summary>
/// The start-up check: the head block is signed by a validator, links to its parent, its transactions
/// and results match its header, and the stored Merkle log reproduces its log root. A node refuses to
/// start on a store that fails it.
/// </summary>
public static class HeadCheck
{
    /// <summary>
    /// Throws <see cref="StoreCorruptedException"/> naming the height when the head does not verify. The head
    /// must be signed by a genesis validator or by <paramref name="nodeKey"/> (this node's own key: a node that
    /// joined a consortium later signs its blocks with a key governance approved after the genesis).
    /// </summary>
    public static void Verify(LedgerStore store, GenesisDocument genesis, PublicKey? nodeKey = null)
    {
        try
        {
            VerifyHead(store, genesis, nodeKey);
        }
        catch (StoreCorruptedException ex) when (!ex.Message.StartsWith("The head block", StringComparison.Ordinal))
        {
            var height = TryHeadHeight(store);
            throw new StoreCorruptedException($"The head block {height} does not verify: {ex.Message} Run 'careledger verify' on the data directory.", ex);
        }
    }

    private static string TryHeadHeight(LedgerStore store)
    {
        try
        {
            return store.GetHead()?.Header.Height.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)";
        }
        catch (StoreCorruptedException)
        {
            return "(undecodable)";
        }
    }

    private static void VerifyHead(LedgerStore store, GenesisDocument genesis, PublicKey? nodeKey)
    {
        var trusted = new Dictionary<KeyId, PublicKey>(genesis.ValidatorKeys());
        if (nodeKey is not null)
        {
            trusted[nodeKey.Id] = nodeKey;
        }
        var head = store.GetHead() ?? throw new StoreCorruptedException("The store has no blocks.");
        var h = head.Header.Height;
        var block = store.GetBlock(h) ?? throw new StoreCorruptedException($"Head block {h} cannot be read.");
        var problem = BlockChecks.CheckHeaderAndBody(block, genesis, trusted,
            h == 0 ? null : store.GetHeader(h - 1)?.Header);
        if (problem is null)
        {
            try
            {
                var log = new MerkleLog(store, head.Header.LogSize);
                if (log.Root() != head.Header.LogRoot)
                {
                    problem = "the stored Merkle log does not reproduce the header's log root";
                }
                else
                {
                    for (var i = 0; i < block.Results.Count && problem is null; i++)
                    {
                        var logIndex = head.Header.LogSize - block.Results.Count + i;
                        if (store.GetNode(0, logIndex) != TransactionResultCodec.LeafHash(block.Results[i]))
                        {
                            problem = $"result {i} does not match its leaf in the Merkle log";
                        }
                    }
                }
            }
            catch (KeyNotFoundException ex)
            {
                problem = $"the Merkle log is incomplete ({ex.Message})";
            }
        }
        if (problem is not null)
        {
            throw new StoreCorruptedException($"The head block {h} does not verify: {problem}. Run 'careledger verify' on the data directory.");
        }
    }
}
