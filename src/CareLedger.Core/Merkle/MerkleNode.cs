using CareLedger.Core.Crypto;

namespace CareLedger.Core.Merkle;

/// <summary>A perfect-subtree node that an append created and that storage must keep.</summary>
public readonly record struct MerkleNode(int Level, long Index, Hash Hash);
