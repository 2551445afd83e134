using System.Buffers;
using CareLedger.Core.Crypto;

namespace CareLedger.Core.Merkle;

/// <summary>RFC 9162 §2.1.1 hashing: leaves are prefixed 0x00, interior nodes 0x01, SHA-256 throughout.</summary>
public static class MerkleHasher
{
    /// <summary>MTH({}) = SHA-256 of the empty string.</summary>
    public static Hash EmptyRoot { get; } = Hash.Compute([]);

    /// <summary>HASH(0x00 || leaf).</summary>
    public static Hash HashLeaf(ReadOnlySpan<byte> leaf)
    {
        // One-shot hashing of a prefixed copy: far cheaper than an incremental hash object per leaf.
        var rented = leaf.Length < 1024 ? null : ArrayPool<byte>.Shared.Rent(leaf.Length + 1);
        Span<byte> buffer = rented ?? stackalloc byte[1024];
        buffer[0] = 0x00;
        leaf.CopyTo(buffer[1..]);
        var hash = Hash.Compute(buffer[..(leaf.Length + 1)]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
        return hash;
    }

    /// <summary>MTH of the given raw leaf inputs, keeping only the tree's right edge (no stored nodes).</summary>
    public static Hash RootOf(IEnumerable<ReadOnlyMemory<byte>> leaves)
    {
        var log = new MerkleLog(FrontierOnly.Instance, 0);
        foreach (var leaf in leaves)
        {
            log.Append(HashLeaf(leaf.Span));
        }
        return log.Root();
    }

    /// <summary>A node store for logs that are only appended to and asked for their current root.</summary>
    public sealed class FrontierOnly : IMerkleNodeStore
    {
        public static readonly FrontierOnly Instance = new();

        public Hash GetNode(int level, long index) => throw new InvalidOperationException("This log keeps only its right edge; it cannot give proofs.");
    }

    /// <summary>HASH(0x01 || left || right).</summary>
    public static Hash HashChildren(Hash left, Hash right)
    {
        Span<byte> buffer = stackalloc byte[1 + 2 * Hash.Size];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + Hash.Size)..]);
        return Hash.Compute(buffer);
    }

    /// <summary>The largest power of two strictly smaller than <paramref name="n"/> (n ≥ 2): RFC 9162's split point k.</summary>
    public static long SplitPoint(long n) => 1L << (63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(n - 1)));
}
