using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CareLedger.Core.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace CareLedger.Core.Jose;

/// <summary>
/// A public JSON Web Key (RFC 7517) that can check JWS signatures: EC keys on P-256, P-384 and P-521 (ES256,
/// ES384, ES512, RFC 7518 §3.4) and OKP Ed25519 keys (EdDSA, RFC 8037). The BCL has no Ed25519, so that one
/// check is BouncyCastle's.
/// </summary>
public sealed class JsonWebKey
{
    private readonly ECParameters? _ec;
    private readonly byte[]? _ed25519;

    private JsonWebKey(string? kid, string algorithm, ECParameters? ec, byte[]? ed25519)
    {
        Kid = kid;
        Algorithm = algorithm;
        _ec = ec;
        _ed25519 = ed25519;
    }

    /// <summary>The key id, when the JWK names one.</summary>
    public string? Kid { get; }

    /// <summary>The one JWS algorithm this key verifies (ES256, ES384, ES512 or EdDSA).</summary>
    public string Algorithm { get; }

    /// <summary>Reads a public JWK; private members (<c>d</c>) are refused so a secret never sits in a trust list.</summary>
    public static JsonWebKey Parse(JsonObject jwk)
    {
        if (jwk.ContainsKey("d"))
        {
            throw new JoseException(JoseException.Malformed, "The JWK holds a private key; give public keys only.");
        }
        var kid = Text(jwk, "kid", required: false);
        var kty = Text(jwk, "kty", required: true);
        var crv = Text(jwk, "crv", required: true);
        var declared = Text(jwk, "alg", required: false);
        JsonWebKey key;
        switch (kty, crv)
        {
            case ("EC", "P-256" or "P-384" or "P-521"):
                var (curve, size, alg) = crv switch
                {
                    "P-256" => (ECCurve.NamedCurves.nistP256, 32, "ES256"),
                    "P-384" => (ECCurve.NamedCurves.nistP384, 48, "ES384"),
                    _ => (ECCurve.NamedCurves.nistP521, 66, "ES512"),
                };
                var parameters = new ECParameters { Curve = curve, Q = new ECPoint { X = Bytes(jwk, "x", size), Y = Bytes(jwk, "y", size) } };
                try
                {
                    parameters.Validate();
                    using var probe = ECDsa.Create(parameters);
                }
                catch (CryptographicException ex)
                {
                    throw new JoseException(JoseException.Malformed, $"The {crv} key is not a point on its curve: {ex.Message}");
                }
                key = new JsonWebKey(kid, alg, parameters, null);
                break;
            case ("OKP", "Ed25519"):
                key = new JsonWebKey(kid, "EdDSA", null, Bytes(jwk, "x", 32));
                break;
            default:
                throw new JoseException(JoseException.Unsupported, $"Key type {kty} on {crv} is not supported (EC P-256/P-384/P-521, OKP Ed25519).");
        }
        if (declared is not null && declared != key.Algorithm)
        {
            throw new JoseException(JoseException.Malformed, $"The JWK says alg {declared} but its curve {crv} means {key.Algorithm}.");
        }
        return key;
    }

    /// <summary>
    /// Reads a JWK Set (<c>{"keys":[…]}</c>). Keys this verifier does not understand (another key type or curve, missing or
    /// out-of-range members) are ignored, as RFC 7517 §5 says: issuers publish RSA and EC keys side by side. A private key
    /// anywhere refuses the whole set, and so does a set with no usable key.
    /// </summary>
    public static IReadOnlyList<JsonWebKey> ParseSet(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new JoseException(JoseException.Malformed, $"The JWK Set is not JSON: {ex.Message}");
        }
        if (root is not JsonObject { } set || set["keys"] is not JsonArray keys)
        {
            throw new JoseException(JoseException.Malformed, "A JWK Set is an object with a \"keys\" array.");
        }
        var usable = new List<JsonWebKey>();
        foreach (var jwk in keys.OfType<JsonObject>())
        {
            if (jwk.ContainsKey("d"))
            {
                throw new JoseException(JoseException.Malformed, "The JWK Set holds a private key; give public keys only.");
            }
            try
            {
                usable.Add(Parse(jwk));
            }
            catch (JoseException)
            {
                // Not understood here: ignored (RFC 7517 §5).
            }
        }
        return usable.Count > 0 ? usable
            : throw new JoseException(JoseException.Unsupported, "The JWK Set holds no key this verifier understands (EC P-256, P-384, P-521 or OKP Ed25519).");
    }

    /// <summary>The RFC 7638 thumbprint: base64url of the SHA-256 of the key's required members in lexicographic order.</summary>
    public string Thumbprint()
    {
        var members = _ec is { } ec
            ? $$"""{"crv":"{{Curve}}","kty":"EC","x":"{{Base64Url.EncodeToString(ec.Q.X)}}","y":"{{Base64Url.EncodeToString(ec.Q.Y)}}"}"""
            : $$"""{"crv":"Ed25519","kty":"OKP","x":"{{Base64Url.EncodeToString(_ed25519)}}"}""";
        return Base64Url.EncodeToString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(members)));
    }

    private string Curve => Algorithm switch { "ES256" => "P-256", "ES384" => "P-384", _ => "P-521" };

    /// <summary>The public JWK of a ledger key (ES256), its kid the ledger key id.</summary>
    public static JsonObject ToJwk(PublicKey key)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(key.SubjectPublicKeyInfo, out _);
        var q = ecdsa.ExportParameters(false).Q;
        return new JsonObject
        {
            ["kty"] = "EC", ["crv"] = "P-256", ["alg"] = "ES256", ["use"] = "sig", ["kid"] = key.Id.ToString(),
            ["x"] = Base64Url.EncodeToString(q.X), ["y"] = Base64Url.EncodeToString(q.Y),
        };
    }

    /// <summary>True when <paramref name="signature"/> is this key's <paramref name="algorithm"/> signature over <paramref name="signingInput"/>.</summary>
    public bool Verify(string algorithm, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        if (algorithm != Algorithm)
        {
            return false;
        }
        if (_ed25519 is not null)
        {
            var signer = new Ed25519Signer();
            signer.Init(false, new Ed25519PublicKeyParameters(_ed25519));
            signer.BlockUpdate(signingInput);
            return signer.VerifySignature(signature.ToArray());
        }
        using var ecdsa = ECDsa.Create(_ec!.Value);
        var hash = Algorithm switch { "ES256" => HashAlgorithmName.SHA256, "ES384" => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 };
        return signature.Length == 2 * _ec.Value.Q.X!.Length
            && ecdsa.VerifyData(signingInput, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private static string? Text(JsonObject jwk, string name, bool required)
    {
        var node = jwk[name];
        if (node is null)
        {
            return required ? throw new JoseException(JoseException.Malformed, $"The JWK has no \"{name}\".") : null;
        }
        return node.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? node.GetValue<string>()
            : throw new JoseException(JoseException.Malformed, $"The JWK's \"{name}\" is not a string.");
    }

    private static byte[] Bytes(JsonObject jwk, string name, int length)
    {
        var text = Text(jwk, name, required: true)!;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            throw new JoseException(JoseException.Malformed, $"The JWK's \"{name}\" is not base64url.");
        }
        return bytes.Length == length
            ? bytes
            : throw new JoseException(JoseException.Malformed, $"The JWK's \"{name}\" is {bytes.Length} bytes; expected {length}.");
    }
}
