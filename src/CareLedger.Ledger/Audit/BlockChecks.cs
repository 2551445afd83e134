using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Core.Merkle;

namespace CareLedger.Ledger.Audit;

/// <summary>Checks of one block that need no state: header fields, links, signatures, transaction root, result positions.</summary>
public static class BlockChecks
{
    /// <summary>The RFC 9162 root over the transactions' ids, each 32-byte id one leaf input.</summary>
    public static Hash TransactionRoot(IEnumerable<Transaction> transactions) =>
        MerkleHasher.RootOf(transactions.Select(t => (ReadOnlyMemory<byte>)t.Id.Span.ToArray()));

    /// <summary>
    /// The checks that need the body but no state: the block holds one result per transaction its header counts, and each
    /// result names its transaction, the block's height and its position. Returns null when they pass, else what is wrong.
    /// </summary>
    public static string? CheckResults(BlockHeader header, IReadOnlyList<Transaction> transactions, IReadOnlyList<TransactionResult> results)
    {
        if (CheckResultCount(header, results.Count) is { } count)
        {
            return count;
        }
        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            if (r.TransactionId != transactions[i].Id || r.Height != header.Height || r.Index != i)
            {
                return $"result {i} does not belong to transaction {i} of this block";
            }
        }
        return null;
    }

    /// <summary>Null when the block holds one result per transaction its header counts, else what is wrong.</summary>
    public static string? CheckResultCount(BlockHeader header, int results) =>
        results == header.TransactionCount ? null : $"header says {header.TransactionCount} transactions, block holds {results} results";

    /// <summary>
    /// The checks that need neither state nor results: chain, height and link to <paramref name="previous"/>, validator
    /// signatures, transaction count and root. Returns null when they pass, else what is wrong.
    /// </summary>
    public static string? CheckHeader(SignedBlockHeader signed, IReadOnlyList<Transaction> transactions, GenesisDocument genesis,
        IReadOnlyDictionary<KeyId, PublicKey> validators, BlockHeader? previous)
    {
        var header = signed.Header;
        if (header.Chain != genesis.Chain)
        {
            return $"chain id '{header.Chain}' is not '{genesis.Chain}'";
        }
        if (previous is null)
        {
            if (header.Height != 0 || header.PreviousHash != genesis.ComputeHash())
            {
                return "the genesis block does not commit to the genesis document";
            }
        }
        else
        {
            if (header.Height != previous.Height + 1)
            {
                return $"height follows {previous.Height}";
            }
            if (header.PreviousHash != previous.Hash)
            {
                return "previous hash does not match the previous header";
            }
            if (header.Timestamp < previous.Timestamp)
            {
                return "timestamp goes backwards";
            }
        }
        if (!signed.HasValidSignatures(validators))
        {
            return "header is not signed by a validator of the genesis document";
        }
        if (transactions.Count != header.TransactionCount)
        {
            return $"header says {header.TransactionCount} transactions, block holds {transactions.Count}";
        }
        return TransactionRoot(transactions) != header.TransactionRoot ? "transaction root does not match the transactions" : null;
    }
}
