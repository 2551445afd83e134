using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace CareLedger.Core.Crypto;

/// <summary>
/// A homomorphic hash of a multiset: Bellare and Micciancio's LtHash with the LtHash16 parameters of Lewi et al.
/// ("Securing Update Propagation with Homomorphic Hashing", 2019), the construction Solana's accounts lattice hash
/// also uses. Each element is expanded with SHAKE128 to 1,024 little-endian 16-bit lanes, and the set's hash is the
/// lane-wise sum modulo 2^16. Adding or removing an element costs one expansion whatever the size of the set, so a
/// block's writes move the hash of the whole state, and a store's rows can be summed in any order (or in parallel)
/// to check it. <see cref="Checksum"/> (SHA-256 of the lanes) is the 32 bytes a block header carries.
/// </summary>
public sealed class LatticeHash
{
    /// <summary>Number of 16-bit lanes.</summary>
    public const int Lanes = 1024;

    // One SHAKE128 context per thread, reset after each use: cheaper than a new one per element.
    [ThreadStatic]
    private static Shake128? t_shake;

    private readonly ushort[] _lanes = new ushort[Lanes];

    /// <summary>The checksum of the empty set.</summary>
    public static Hash EmptyChecksum { get; } = new LatticeHash().Checksum();

    /// <summary>Adds one element.</summary>
    public void Add(ReadOnlySpan<byte> element) => Combine(element, subtract: false);

    /// <summary>Removes one element (added earlier: the sum has no notion of absence).</summary>
    public void Remove(ReadOnlySpan<byte> element) => Combine(element, subtract: true);

    /// <summary>Adds every element of <paramref name="other"/> (partial sums computed apart).</summary>
    public void Add(LatticeHash other) => AddLanes(_lanes, other._lanes, subtract: false);

    /// <summary>A copy that changes independently.</summary>
    public LatticeHash Clone()
    {
        var copy = new LatticeHash();
        _lanes.CopyTo(copy._lanes, 0);
        return copy;
    }

    /// <summary>SHA-256 of the lanes, little-endian.</summary>
    public Hash Checksum() => Hash.Compute(LaneBytes(_lanes));

    private void Combine(ReadOnlySpan<byte> element, bool subtract)
    {
        Span<ushort> expanded = stackalloc ushort[Lanes];
        var shake = t_shake ??= new Shake128();
        shake.AppendData(element);
        shake.GetHashAndReset(MemoryMarshal.AsBytes(expanded));
        if (!BitConverter.IsLittleEndian)
        {
            for (var i = 0; i < Lanes; i++)
            {
                expanded[i] = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(expanded[i]);
            }
        }
        AddLanes(_lanes, expanded, subtract);
    }

    // Vector<ushort> arithmetic wraps, which is exactly addition modulo 2^16 per lane.
    private static void AddLanes(Span<ushort> sum, ReadOnlySpan<ushort> lanes, bool subtract)
    {
        var target = MemoryMarshal.Cast<ushort, Vector<ushort>>(sum);
        var source = MemoryMarshal.Cast<ushort, Vector<ushort>>(lanes);
        for (var i = 0; i < target.Length; i++)
        {
            target[i] = subtract ? target[i] - source[i] : target[i] + source[i];
        }
    }

    private static ReadOnlySpan<byte> LaneBytes(ushort[] lanes)
    {
        if (BitConverter.IsLittleEndian)
        {
            return MemoryMarshal.AsBytes(lanes.AsSpan());
        }
        var bytes = new byte[Lanes * 2];
        for (var i = 0; i < Lanes; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), lanes[i]);
        }
        return bytes;
    }
}
