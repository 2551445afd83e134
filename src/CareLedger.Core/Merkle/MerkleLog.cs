using CareLedger.Core.Crypto;

namespace CareLedger.Core.Merkle;

/// <summary>
/// An RFC 9162 append-only Merkle log over stored perfect-subtree nodes. Appending a leaf creates at
/// most log2(n)+1 nodes; roots and proofs read O(log n) stored nodes and never rehash the whole log.
/// </summary>
public sealed class MerkleLog
{
    private readonly IMerkleNodeStore _nodes;
    // The right edge of the tree: for each set bit of Size, the root of that perfect subtree (level → hash).
    private readonly Dictionary<int, Hash> _frontier = [];

    /// <summary>Opens a log of <paramref name="size"/> leaves whose nodes are in <paramref name="nodes"/>.</summary>
    public MerkleLog(IMerkleNodeStore nodes, long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        _nodes = nodes;
        Size = size;
        long start = 0;
        for (var level = 62; level >= 0; level--)
        {
            if ((size & (1L << level)) != 0)
            {
                _frontier[level] = nodes.GetNode(level, start >> level);
                start += 1L << level;
            }
        }
    }

    /// <summary>Number of leaves.</summary>
    public long Size { get; private set; }

    /// <summary>
    /// Appends a leaf hash and returns the nodes that must be stored (the leaf and every perfect
    /// subtree it completes). The caller stores them before asking for proofs that need them.
    /// </summary>
    public IReadOnlyList<MerkleNode> Append(Hash leafHash)
    {
        var created = new List<MerkleNode>(4);
        var index = Size;
        var hash = leafHash;
        var level = 0;
        created.Add(new MerkleNode(0, index, hash));
        while ((index & 1) == 1)
        {
            hash = MerkleHasher.HashChildren(_frontier[level], hash);
            _frontier.Remove(level);
            level++;
            index >>= 1;
            created.Add(new MerkleNode(level, index, hash));
        }
        _frontier[level] = hash;
        Size++;
        return created;
    }

    /// <summary>The root of the current log.</summary>
    public Hash Root()
    {
        if (Size == 0)
        {
            return MerkleHasher.EmptyRoot;
        }
        Hash? root = null;
        for (var level = 0; level < 63; level++)
        {
            if (_frontier.TryGetValue(level, out var node))
            {
                root = root is null ? node : MerkleHasher.HashChildren(node, root.Value);
            }
        }
        return root!.Value;
    }

    /// <summary>The root the log had when it held <paramref name="size"/> leaves.</summary>
    public Hash RootAt(long size)
    {
        CheckSize(size);
        return size == 0 ? MerkleHasher.EmptyRoot : SubtreeHash(0, size);
    }

    /// <summary>RFC 9162 §2.1.3.1 PATH(index, D[size]).</summary>
    public IReadOnlyList<Hash> InclusionProof(long index, long size)
    {
        CheckSize(size);
        if (index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"Leaf {index} is not in a log of {size} leaves.");
        }
        var proof = new List<Hash>();
        Path(index, 0, size, proof);
        return proof;
    }

    /// <summary>RFC 9162 §2.1.4.1 PROOF(size1, D[size2]) for 0 &lt; size1 ≤ size2.</summary>
    public IReadOnlyList<Hash> ConsistencyProof(long size1, long size2)
    {
        CheckSize(size2);
        if (size1 <= 0 || size1 > size2)
        {
            throw new ArgumentOutOfRangeException(nameof(size1), $"A consistency proof needs 0 < size1 ≤ size2; got {size1} and {size2}.");
        }
        var proof = new List<Hash>();
        if (size1 < size2)
        {
            SubProof(size1, 0, size2, true, proof);
        }
        return proof;
    }

    private void CheckSize(long size)
    {
        if (size < 0 || size > Size)
        {
            throw new ArgumentOutOfRangeException(nameof(size), $"The log holds {Size} leaves; {size} is out of range.");
        }
    }

    // Leaves [start, start+n): start is always aligned to the largest power of two ≤ n in RFC 9162's recursion.
    private Hash SubtreeHash(long start, long n)
    {
        if ((n & (n - 1)) == 0)
        {
            var level = System.Numerics.BitOperations.Log2((ulong)n);
            return _nodes.GetNode(level, start >> level);
        }
        var k = MerkleHasher.SplitPoint(n);
        return MerkleHasher.HashChildren(SubtreeHash(start, k), SubtreeHash(start + k, n - k));
    }

    private void Path(long m, long start, long n, List<Hash> proof)
    {
        if (n == 1)
        {
            return;
        }
        var k = MerkleHasher.SplitPoint(n);
        if (m < k)
        {
            Path(m, start, k, proof);
            proof.Add(SubtreeHash(start + k, n - k));
        }
        else
        {
            Path(m - k, start + k, n - k, proof);
            proof.Add(SubtreeHash(start, k));
        }
    }

    private void SubProof(long m, long start, long n, bool whole, List<Hash> proof)
    {
        if (m == n)
        {
            if (!whole)
            {
                proof.Add(SubtreeHash(start, n));
            }
            return;
        }
        var k = MerkleHasher.SplitPoint(n);
        if (m <= k)
        {
            SubProof(m, start, k, whole, proof);
            proof.Add(SubtreeHash(start + k, n - k));
        }
        else
        {
            SubProof(m - k, start + k, n - k, false, proof);
            proof.Add(SubtreeHash(start, k));
        }
    }
}
