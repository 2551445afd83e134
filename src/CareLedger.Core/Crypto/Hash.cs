using System.Security.Cryptography;

namespace CareLedger.Core.Crypto;

/// <summary>A SHA-256 digest: 32 bytes, compared by value, printed as lowercase hex.</summary>
public readonly struct Hash : IEquatable<Hash>, IComparable<Hash>
{
    /// <summary>Length of a SHA-256 digest in bytes.</summary>
    public const int Size = 32;

    private readonly byte[]? _bytes;

    private Hash(byte[] bytes) => _bytes = bytes;

    /// <summary>The all-zero hash, used as the previous hash of the genesis block.</summary>
    public static Hash Zero { get; } = new(new byte[Size]);

    /// <summary>The digest bytes.</summary>
    public ReadOnlySpan<byte> Span => _bytes ?? Zero._bytes!;

    /// <summary>Wraps 32 bytes (copied). Throws <see cref="FormatException"/> for any other length.</summary>
    public static Hash FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new FormatException($"A hash is {Size} bytes; got {bytes.Length}.");
        }
        return new Hash(bytes.ToArray());
    }

    /// <summary>Parses 64 hex digits. Throws <see cref="FormatException"/> otherwise.</summary>
    public static Hash Parse(string hex)
    {
        if (!TryParse(hex, out var hash))
        {
            throw new FormatException("A hash is 64 hexadecimal digits.");
        }
        return hash;
    }

    /// <summary>Parses 64 hex digits without throwing.</summary>
    public static bool TryParse(string? hex, out Hash hash)
    {
        hash = default;
        if (hex is null || hex.Length != Size * 2)
        {
            return false;
        }
        var bytes = new byte[Size];
        if (Convert.FromHexString(hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Size)
        {
            return false;
        }
        hash = new Hash(bytes);
        return true;
    }

    /// <summary>SHA-256 of <paramref name="data"/>.</summary>
    public static Hash Compute(ReadOnlySpan<byte> data)
    {
        var bytes = new byte[Size];
        SHA256.HashData(data, bytes);
        return new Hash(bytes);
    }

    /// <summary>Copies the digest into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<byte> destination) => Span.CopyTo(destination);

    public bool Equals(Hash other) => Span.SequenceEqual(other.Span);

    public override bool Equals(object? obj) => obj is Hash other && Equals(other);

    public override int GetHashCode() => BitConverter.ToInt32(Span);

    public int CompareTo(Hash other) => Span.SequenceCompareTo(other.Span);

    public override string ToString() => Convert.ToHexStringLower(Span);

    public static bool operator ==(Hash left, Hash right) => left.Equals(right);

    public static bool operator !=(Hash left, Hash right) => !left.Equals(right);

    public static bool operator <(Hash left, Hash right) => left.CompareTo(right) < 0;

    public static bool operator >(Hash left, Hash right) => left.CompareTo(right) > 0;

    public static bool operator <=(Hash left, Hash right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Hash left, Hash right) => left.CompareTo(right) >= 0;
}
