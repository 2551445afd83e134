using CareLedger.Core.Crypto;

namespace CareLedger.Core.Merkle;

/// <summary>
/// Holds the hashes of the perfect subtrees of an append-only log: node (level, index) is the root
/// of leaves [index·2^level, (index+1)·2^level). Level 0 holds the leaf hashes.
/// </summary>
public interface IMerkleNodeStore
{
    /// <summary>The stored node. Throws <see cref="KeyNotFoundException"/> when it has not been written.</summary>
    Hash GetNode(int level, long index);
}
