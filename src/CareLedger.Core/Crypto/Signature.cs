namespace CareLedger.Core.Crypto;

/// <summary>An ES256 signature in IEEE P1363 form (r || s, 64 bytes), with s in the lower half of the group order.</summary>
public readonly struct Signature : IEquatable<Signature>
{
    /// <summary>Length of an ES256 signature in bytes.</summary>
    public const int Size = 64;

    private readonly byte[]? _bytes;

    private Signature(byte[] bytes) => _bytes = bytes;

    /// <summary>The signature bytes (r || s).</summary>
    public ReadOnlySpan<byte> Span => _bytes ?? new byte[Size];

    /// <summary>True for the default value, which no key ever produces.</summary>
    public bool IsEmpty => _bytes is null;

    /// <summary>Wraps 64 bytes (copied). Throws <see cref="FormatException"/> for any other length.</summary>
    public static Signature FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new FormatException($"An ES256 signature is {Size} bytes; got {bytes.Length}.");
        }
        return new Signature(bytes.ToArray());
    }

    public bool Equals(Signature other) => Span.SequenceEqual(other.Span);

    public override bool Equals(object? obj) => obj is Signature other && Equals(other);

    public override int GetHashCode() => BitConverter.ToInt32(Span);

    public override string ToString() => Convert.ToHexStringLower(Span);

    public static bool operator ==(Signature left, Signature right) => left.Equals(right);

    public static bool operator !=(Signature left, Signature right) => !left.Equals(right);
}
