using System.Buffers.Text;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using CareLedger.Client;
using CareLedger.Contracts;
using CareLedger.Contracts.Identity;
using CareLedger.Core.Crypto;
using CareLedger.Ledger.Execution;

namespace CareLedger.Node.Auth;

/// <summary>
/// Checks a caller's ES256 JWT: well formed, <c>alg</c> ES256, <c>kid</c> a key registered and active on
/// the ledger, audience this chain, issued at most <see cref="AccessToken.MaxLifetime"/> before it
/// expires, not expired (30 s clock skew), and the signature verifies.
/// </summary>
internal sealed class AccessTokenValidator(string chain, IStateReader state, TimeProvider clock)
{
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);
    private const int MaxTokenLength = 4096;

    /// <summary>The caller, or the code and reason of the refusal.</summary>
    public (ClaimsPrincipal? Caller, string? Code, string? Reason) Validate(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization) || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return (null, "auth.missing_token", "Send 'Authorization: Bearer <ES256 JWT signed by your ledger key>'.");
        }
        var token = authorization["Bearer ".Length..].Trim();
        var parts = token.Split('.');
        if (token.Length > MaxTokenLength || parts.Length != 3)
        {
            return (null, "auth.bad_token", "The token is not a compact JWS.");
        }
        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            var signature = Base64Url.DecodeFromChars(parts[2]);
            if (header.RootElement.GetProperty("alg").GetString() != "ES256")
            {
                return (null, "auth.bad_token", "Only ES256 tokens are accepted.");
            }
            if (!KeyId.TryParse(header.RootElement.GetProperty("kid").GetString(), out var kid))
            {
                return (null, "auth.bad_token", "kid must be the 64-hex key id of a ledger key.");
            }
            var c = claims.RootElement;
            if (c.GetProperty("aud").GetString() != chain)
            {
                return (null, "auth.bad_token", $"The token's audience is not chain '{chain}'.");
            }
            var iat = DateTimeOffset.FromUnixTimeSeconds(c.GetProperty("iat").GetInt64());
            var exp = DateTimeOffset.FromUnixTimeSeconds(c.GetProperty("exp").GetInt64());
            var now = clock.GetUtcNow();
            if (exp - iat > AccessToken.MaxLifetime || exp < iat)
            {
                return (null, "auth.bad_token", $"Tokens live at most {AccessToken.MaxLifetime.TotalMinutes:0} minutes.");
            }
            if (now > exp + Skew || iat > now + Skew)
            {
                return (null, "auth.expired_token", "The token has expired or is not valid yet.");
            }
            var record = StateJson.Read<KeyRecord>(state.Get(IdentityKeys.Key(kid)));
            if (record is null || record.Status != "active")
            {
                return (null, "auth.unknown_key", "The token's key is not an active key on the ledger.");
            }
            using var key = PublicKey.FromSubjectPublicKeyInfo(Convert.FromBase64String(record.PublicKey));
            if (!key.Verify(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature))
            {
                return (null, "auth.bad_signature", "The token's signature does not verify.");
            }
            var identity = new ClaimsIdentity(
                [new Claim("kid", kid.ToString()), new Claim("owner", record.Owner), new Claim("owner_kind", record.OwnerKind)],
                authenticationType: "CareLedgerJwt");
            return (new ClaimsPrincipal(identity), null, null);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (null, "auth.bad_token", "The token does not decode.");
        }
    }
}
