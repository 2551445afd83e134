using System.Buffers.Text;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace CareLedger.Core.Tests.Jose;

/// <summary>Issuers from elsewhere, for tests: EC (P-256/384/521) and Ed25519 keys that sign compact JWS and publish a JWK.</summary>
internal sealed class JoseTestIssuer
{
    private readonly ECDsa? _ec;
    private readonly Ed25519PrivateKeyParameters? _ed;

    private JoseTestIssuer(string alg, string kid, ECDsa? ec, Ed25519PrivateKeyParameters? ed) => (Algorithm, Kid, _ec, _ed) = (alg, kid, ec, ed);

    public string Algorithm { get; }

    public string Kid { get; }

    /// <summary>A SMART Health Card issuer: an ES256 key whose kid is its RFC 7638 thumbprint, as the framework requires.</summary>
    public static JoseTestIssuer HealthCardIssuer()
    {
        var probe = Create("ES256");
        var thumbprint = Core.Jose.JsonWebKey.Parse(probe.Jwk()).Thumbprint();
        return new JoseTestIssuer("ES256", thumbprint, probe._ec, null);
    }

    public static JoseTestIssuer Create(string alg, string kid = "issuer-key-1") => alg switch
    {
        "ES256" => new(alg, kid, ECDsa.Create(ECCurve.NamedCurves.nistP256), null),
        "ES384" => new(alg, kid, ECDsa.Create(ECCurve.NamedCurves.nistP384), null),
        "ES512" => new(alg, kid, ECDsa.Create(ECCurve.NamedCurves.nistP521), null),
        _ => new(alg, kid, null, new Ed25519PrivateKeyParameters(new SecureRandom())),
    };

    public JsonObject Jwk()
    {
        if (_ed is not null)
        {
            return new JsonObject { ["kty"] = "OKP", ["crv"] = "Ed25519", ["kid"] = Kid, ["x"] = Base64Url.EncodeToString(_ed.GeneratePublicKey().GetEncoded()) };
        }
        var q = _ec!.ExportParameters(false).Q;
        var crv = Algorithm switch { "ES256" => "P-256", "ES384" => "P-384", _ => "P-521" };
        return new JsonObject { ["kty"] = "EC", ["crv"] = crv, ["kid"] = Kid, ["x"] = Base64Url.EncodeToString(q.X), ["y"] = Base64Url.EncodeToString(q.Y) };
    }

    public string Jwks() => new JsonObject { ["keys"] = new JsonArray(Jwk()) }.ToJsonString();

    /// <summary>
    /// A compact JWS over <paramref name="payload"/>; <paramref name="deflate"/> makes it a SMART Health Card-style token;
    /// <paramref name="typ"/> goes into the header when given.
    /// </summary>
    public string Sign(JsonObject payload, bool deflate = false, string? typ = null)
    {
        var header = new JsonObject { ["alg"] = Algorithm, ["kid"] = Kid };
        if (typ is not null)
        {
            header["typ"] = typ;
        }
        var body = System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString());
        if (deflate)
        {
            header["zip"] = "DEF";
            using var buffer = new MemoryStream();
            using (var d = new DeflateStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            {
                d.Write(body);
            }
            body = buffer.ToArray();
        }
        var input = Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url.EncodeToString(body);
        return input + "." + Base64Url.EncodeToString(SignBytes(System.Text.Encoding.ASCII.GetBytes(input)));
    }

    private byte[] SignBytes(byte[] input)
    {
        if (_ed is not null)
        {
            var signer = new Ed25519Signer();
            signer.Init(true, _ed);
            signer.BlockUpdate(input, 0, input.Length);
            return signer.GenerateSignature();
        }
        var hash = Algorithm switch { "ES256" => HashAlgorithmName.SHA256, "ES384" => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 };
        return _ec!.SignData(input, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
