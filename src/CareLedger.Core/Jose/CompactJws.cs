using System.Buffers.Text;
using System.IO.Compression;
using System.Text.Json.Nodes;
using CareLedger.Core.Crypto;

namespace CareLedger.Core.Jose;

/// <summary>
/// A JWS in compact serialization (RFC 7515 §7.1): protected header, payload and signature. A header with
/// <c>"zip":"DEF"</c> (SMART Health Cards) has a raw DEFLATE payload (RFC 1951), inflated here up to a limit.
/// </summary>
public sealed class CompactJws
{
    /// <summary>The largest payload accepted after inflation (SMART Health Cards are far smaller).</summary>
    public const int MaxPayloadBytes = 1 << 20;

    private CompactJws(JsonObject header, byte[] payload, byte[] signingInput, byte[] signature)
    {
        Header = header;
        Payload = payload;
        SigningInput = signingInput;
        Signature = signature;
    }

    public JsonObject Header { get; }

    /// <summary>The payload bytes (inflated when the header says <c>zip: DEF</c>).</summary>
    public byte[] Payload { get; }

    /// <summary>ASCII(BASE64URL(header) '.' BASE64URL(payload)), the bytes the signature covers.</summary>
    public byte[] SigningInput { get; }

    public byte[] Signature { get; }

    /// <summary>The header's <c>alg</c>.</summary>
    public string Algorithm => Header["alg"]?.GetValue<string>() ?? "";

    /// <summary>The header's <c>kid</c>, if any.</summary>
    public string? Kid => Header["kid"]?.GetValue<string>();

    /// <summary>Reads a compact JWS; throws <see cref="JoseException"/> (<c>jose.malformed</c>) for anything else.</summary>
    public static CompactJws Parse(string token)
    {
        var parts = token.Trim().Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
        {
            throw new JoseException(JoseException.Malformed, "A compact JWS is three non-empty base64url parts separated by dots.");
        }
        JsonObject header;
        try
        {
            header = JsonNode.Parse(Decode(parts[0], "header")) as JsonObject
                ?? throw new JoseException(JoseException.Malformed, "The JWS header is not a JSON object.");
            if (header["alg"]?.GetValueKind() != System.Text.Json.JsonValueKind.String
                || header["kid"] is { } kid && kid.GetValueKind() != System.Text.Json.JsonValueKind.String)
            {
                throw new JoseException(JoseException.Malformed, "The JWS header needs a string \"alg\" (and \"kid\", when present, is a string).");
            }
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new JoseException(JoseException.Malformed, $"The JWS header is not JSON: {ex.Message}");
        }
        if (header["crit"] is not null)
        {
            throw new JoseException(JoseException.Unsupported, "The JWS has critical header parameters this verifier does not understand.");
        }
        var payload = Decode(parts[1], "payload");
        var zip = header["zip"]?.ToString();
        if (zip is not null)
        {
            payload = zip == "DEF" ? Inflate(payload) : throw new JoseException(JoseException.Unsupported, $"Compression \"{zip}\" is not supported (only DEF).");
        }
        return new CompactJws(header, payload, System.Text.Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Decode(parts[2], "signature"));
    }

    /// <summary>Signs <paramref name="payload"/> with a ledger key (ES256), naming the key by its ledger key id.</summary>
    public static string Sign(JsonObject header, ReadOnlySpan<byte> payload, SigningKey key)
    {
        header["alg"] = "ES256";
        header["kid"] = key.Id.ToString();
        var signingInput = Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url.EncodeToString(payload);
        return signingInput + "." + Base64Url.EncodeToString(key.Sign(System.Text.Encoding.ASCII.GetBytes(signingInput)).Span);
    }

    /// <summary>
    /// The key of <paramref name="keys"/> that signed this JWS: the one its <c>kid</c> names, or, without a kid,
    /// any key of the right algorithm; null when none verifies.
    /// </summary>
    public JsonWebKey? SignedBy(IEnumerable<JsonWebKey> keys) =>
        keys.Where(k => Kid is null || k.Kid == Kid).FirstOrDefault(k => k.Verify(Algorithm, SigningInput, Signature));

    private static byte[] Decode(string part, string what)
    {
        try
        {
            return Base64Url.DecodeFromChars(part);
        }
        catch (FormatException)
        {
            throw new JoseException(JoseException.Malformed, $"The JWS {what} is not base64url.");
        }
    }

    private static byte[] Inflate(byte[] compressed)
    {
        try
        {
            using var inflate = new DeflateStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[8192];
            int read;
            while ((read = inflate.Read(buffer)) > 0)
            {
                if (output.Length + read > MaxPayloadBytes)
                {
                    throw new JoseException(JoseException.Malformed, $"The inflated payload is larger than {MaxPayloadBytes} bytes.");
                }
                output.Write(buffer, 0, read);
            }
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            throw new JoseException(JoseException.Malformed, "The payload is not raw DEFLATE data.");
        }
    }
}
