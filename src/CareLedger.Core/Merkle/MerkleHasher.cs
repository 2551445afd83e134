using System.Security.Cryptography;
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
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([0x00]);
        sha.AppendData(leaf);
        Span<byte> digest = stackalloc byte[Hash.Size];
        sha.GetHashAndReset(digest);
        return Hash.FromBytes(digest);
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
