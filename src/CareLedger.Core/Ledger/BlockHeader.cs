using CareLedger.Core.Crypto;

namespace CareLedger.Core.Ledger;

/// <summary>
/// A block header. Its hash (SHA-256 of the canonical encoding) is computed once, in the constructor;
/// there are no setters that could leave it stale.
/// </summary>
public sealed class BlockHeader
{
    /// <summary>Creates a header and computes its hash.</summary>
    public BlockHeader(string chain, long height, Hash previousHash, long timestamp, int transactionCount,
        Hash transactionRoot, long logSize, Hash logRoot, Hash stateDigest, Hash stateSet, KeyId proposer)
    {
        Chain = chain;
        Height = height;
        PreviousHash = previousHash;
        Timestamp = timestamp;
        TransactionCount = transactionCount;
        TransactionRoot = transactionRoot;
        LogSize = logSize;
        LogRoot = logRoot;
        StateDigest = stateDigest;
        StateSet = stateSet;
        Proposer = proposer;
        Encoded = BlockHeaderCodec.Encode(this);
        Hash = Hash.Compute(Encoded.Span);
    }

    /// <summary>Chain id from the genesis document.</summary>
    public string Chain { get; }

    /// <summary>0 for the genesis block.</summary>
    public long Height { get; }

    /// <summary>Hash of the previous header; for the genesis block, the hash of the genesis document.</summary>
    public Hash PreviousHash { get; }

    /// <summary>Unix milliseconds assigned by ordering; the only clock contracts see.</summary>
    public long Timestamp { get; }

    /// <summary>Transactions in the block.</summary>
    public int TransactionCount { get; }

    /// <summary>RFC 9162 root over the block's transaction ids.</summary>
    public Hash TransactionRoot { get; }

    /// <summary>Size of the ledger's result log after this block.</summary>
    public long LogSize { get; }

    /// <summary>Root of the ledger's result log after this block.</summary>
    public Hash LogRoot { get; }

    /// <summary>Chained digest of every state write up to and including this block.</summary>
    public Hash StateDigest { get; }

    /// <summary>
    /// <see cref="CareLedger.Core.Crypto.LatticeHash"/> checksum of every state entry (key and value) after this block:
    /// a store's state rows can be checked against a signed header without replaying the chain.
    /// </summary>
    public Hash StateSet { get; }

    /// <summary>Key of the node that proposed the block.</summary>
    public KeyId Proposer { get; }

    /// <summary>Canonical encoding.</summary>
    public ReadOnlyMemory<byte> Encoded { get; }

    /// <summary>SHA-256 of <see cref="Encoded"/>.</summary>
    public Hash Hash { get; }
}
