using System.Buffers.Text;
using System.IO.Compression;

namespace CareLedger.Core.Jose;

/// <summary>
/// The W3C Bitstring Status List v1.0 encoding: a bitstring of at least 131,072 bits (16 KiB, so one list hides which credential a
/// verifier asks about among many), GZIP-compressed and written as a multibase base64url string (<c>u…</c>). Index 0 is the left-most
/// bit, the most significant bit of the first byte.
/// </summary>
public static class BitstringStatusList
{
    public const int MinimumBits = 131_072;

    /// <summary>The encoded list of <paramref name="bits"/> bits (at least <see cref="MinimumBits"/>) with the given indexes set.</summary>
    public static string Encode(IEnumerable<int> set, int bits = MinimumBits)
    {
        var bytes = new byte[(Math.Max(bits, MinimumBits) + 7) / 8];
        foreach (var index in set)
        {
            if (index < 0 || index >= bytes.Length * 8)
            {
                throw new ArgumentOutOfRangeException(nameof(set), $"Index {index} is outside the list.");
            }
            bytes[index / 8] |= (byte)(0x80 >> (index % 8));
        }
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(bytes);
        }
        return "u" + Base64Url.EncodeToString(compressed.ToArray());
    }

    /// <summary>Whether bit <paramref name="index"/> of an encoded list is set; <see cref="JoseException"/> for a list that does not decode or is too short.</summary>
    public static bool IsSet(string encodedList, int index)
    {
        var bytes = Decode(encodedList);
        if (index < 0 || index >= bytes.Length * 8)
        {
            throw new JoseException(JoseException.Malformed, $"Status list index {index} is outside a list of {bytes.Length * 8} bits.");
        }
        return (bytes[index / 8] & (0x80 >> (index % 8))) != 0;
    }

    private static byte[] Decode(string encodedList)
    {
        if (!encodedList.StartsWith('u'))
        {
            throw new JoseException(JoseException.Malformed, "encodedList is multibase base64url: it starts with 'u'.");
        }
        try
        {
            using var gzip = new GZipStream(new MemoryStream(Base64Url.DecodeFromChars(encodedList.AsSpan(1))), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[8192];
            int read;
            while ((read = gzip.Read(buffer)) > 0)
            {
                if (output.Length + read > CompactJws.MaxPayloadBytes)
                {
                    throw new JoseException(JoseException.Malformed, "The status list is larger than a verifier accepts.");
                }
                output.Write(buffer, 0, read);
            }
            return output.ToArray();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException)
        {
            throw new JoseException(JoseException.Malformed, "encodedList is not a GZIP-compressed base64url bitstring.");
        }
    }
}
