using System.Buffers.Binary;
using System.Formats.Cbor;
using System.Text;

namespace CareLedger.Core.Encoding;

/// <summary>
/// Deterministic CBOR for everything that is hashed or signed. Map keys are short text strings
/// (under 24 bytes), for which .NET's canonical mode (RFC 7049 §3.9 length-first ordering) and
/// RFC 8949 §4.2.1 bytewise ordering coincide; see docs/serialization-format.md.
/// </summary>
public static class CanonicalCbor
{
    /// <summary>A writer that emits canonical CBOR (shortest forms, definite lengths, sorted keys).</summary>
    public static CborWriter CreateWriter() => new(CborConformanceMode.Canonical, convertIndefiniteLengthEncodings: false);

    /// <summary>A reader that refuses any encoding that is not canonical.</summary>
    public static CborReader CreateReader(ReadOnlyMemory<byte> data) => new(data, CborConformanceMode.Canonical);

    /// <summary>A writer for encoders that write map keys in <see cref="CompareKeys"/> order themselves.</summary>
    /// <remarks>
    /// Its output is the canonical encoding as long as they do: CborWriter always writes shortest heads, and
    /// definite lengths are given. The canonical-mode writer buffers and re-sorts every map, which costs
    /// more than the encoding on hot paths; tests compare both writers' bytes.
    /// </remarks>
    public static CborWriter CreatePresortedWriter() => new(CborConformanceMode.Lax, convertIndefiniteLengthEncodings: false);

    /// <summary>
    /// The canonical order of text map keys: shorter UTF-8 encoding first, then bytewise. This is both
    /// RFC 8949 §4.2.1 bytewise order of the encoded keys and .NET's canonical (RFC 7049 length-first) order.
    /// </summary>
    public static int CompareKeys(string a, string b)
    {
        var byLength = System.Text.Encoding.UTF8.GetByteCount(a).CompareTo(System.Text.Encoding.UTF8.GetByteCount(b));
        if (byLength != 0)
        {
            return byLength;
        }
        return Ascii.IsValid(a) && Ascii.IsValid(b)
            ? string.CompareOrdinal(a, b)
            : System.Text.Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(b));
    }

    /// <summary>
    /// Writes the head of an array of <paramref name="count"/> items (major type 4, shortest form) into
    /// <paramref name="destination"/> (at least 9 bytes) and returns its length: for encodings that are
    /// hashed piece by piece instead of being assembled first.
    /// </summary>
    public static int WriteArrayHead(Span<byte> destination, long count) => WriteHead(destination, 4, count);

    /// <summary>
    /// Writes the shortest head (RFC 8949 §3) of major type <paramref name="majorType"/> with argument <paramref name="value"/>
    /// (an array's count, a string's length) into <paramref name="destination"/> (at least 9 bytes); returns its length.
    /// </summary>
    public static int WriteHead(Span<byte> destination, int majorType, long value)
    {
        var type = (byte)(majorType << 5);
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        switch (value)
        {
            case < 24:
                destination[0] = (byte)(type | value);
                return 1;
            case <= byte.MaxValue:
                destination[0] = (byte)(type | 24);
                destination[1] = (byte)value;
                return 2;
            case <= ushort.MaxValue:
                destination[0] = (byte)(type | 25);
                BinaryPrimitives.WriteUInt16BigEndian(destination[1..], (ushort)value);
                return 3;
            case <= uint.MaxValue:
                destination[0] = (byte)(type | 26);
                BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)value);
                return 5;
            default:
                destination[0] = (byte)(type | 27);
                BinaryPrimitives.WriteUInt64BigEndian(destination[1..], (ulong)value);
                return 9;
        }
    }

    /// <summary>Reads a byte string of exactly <paramref name="length"/> bytes.</summary>
    public static byte[] ReadFixedBytes(CborReader reader, int length, string field)
    {
        var bytes = reader.ReadByteString();
        if (bytes.Length != length)
        {
            throw new CborContentException($"Field '{field}' must be {length} bytes; got {bytes.Length}.");
        }
        return bytes;
    }

    /// <summary>Throws unless the reader consumed the whole input.</summary>
    public static void EnsureFullyConsumed(CborReader reader)
    {
        if (reader.BytesRemaining != 0)
        {
            throw new CborContentException($"{reader.BytesRemaining} trailing bytes after the data item.");
        }
    }
}
