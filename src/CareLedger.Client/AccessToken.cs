using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using CareLedger.Core.Crypto;

namespace CareLedger.Client;

/// <summary>
/// Short-lived ES256 JWTs (RFC 7519) signed by the caller's own ledger key: header
/// <c>{alg: ES256, typ: JWT, kid: key id}</c>, claims <c>{aud: chain, iat, exp, jti}</c>.
/// </summary>
public static class AccessToken
{
    /// <summary>Longest lifetime a node accepts.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Creates a token for <paramref name="chain"/> valid from now for <paramref name="lifetime"/>.</summary>
    public static string Create(SigningKey key, string chain, TimeSpan lifetime, DateTimeOffset now)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "ES256", ["typ"] = "JWT", ["kid"] = key.Id.ToString() });
        var iat = now.ToUnixTimeSeconds();
        var claims = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["aud"] = chain,
            ["iat"] = iat,
            ["exp"] = iat + (long)lifetime.TotalSeconds,
            ["jti"] = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)),
        });
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(claims);
        var signature = key.Sign(Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature.Span);
    }
}
