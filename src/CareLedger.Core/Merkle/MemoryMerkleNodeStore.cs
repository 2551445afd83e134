using CareLedger.Core.Crypto;

namespace CareLedger.Core.Merkle;

/// <summary>Keeps a log's nodes in memory: for offline tools (the CLI's merkle commands, verification of an export) and tests.</summary>
public sealed class MemoryMerkleNodeStore : IMerkleNodeStore
{
    private readonly Dictionary<(int Level, long Index), Hash> _nodes = [];

    public Hash GetNode(int level, long index) =>
        _nodes.TryGetValue((level, index), out var hash)
            ? hash
            : throw new KeyNotFoundException($"No Merkle node at level {level}, index {index}.");

    /// <summary>Stores the nodes an append created.</summary>
    public void Put(IEnumerable<MerkleNode> nodes)
    {
        foreach (var node in nodes)
        {
            _nodes[(node.Level, node.Index)] = node.Hash;
        }
    }

    /// <summary>Builds a log from raw leaf inputs, hashing each with <see cref="MerkleHasher.HashLeaf"/>.</summary>
    public static MerkleLog BuildLog(IEnumerable<byte[]> leaves)
    {
        var store = new MemoryMerkleNodeStore();
        var log = new MerkleLog(store, 0);
        foreach (var leaf in leaves)
        {
            store.Put(log.Append(MerkleHasher.HashLeaf(leaf)));
        }
        return log;
    }
}
