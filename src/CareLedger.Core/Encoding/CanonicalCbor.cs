using System.Formats.Cbor;

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
