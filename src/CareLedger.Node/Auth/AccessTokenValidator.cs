using System.Security.Claims;
using System.Text.Json;
using CareLedger.Client;
using CareLedger.Contracts;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Identity;
using CareLedger.Core.Crypto;
using CareLedger.Core.Jose;
using CareLedger.Ledger.Execution;

namespace CareLedger.Node.Auth;

/// <summary>
/// Checks a caller's ES256 JWT: a compact JWS (<see cref="CompactJws"/>, the code base's one JWS reader), <c>alg</c> ES256,
/// <c>kid</c> a key registered and active on the ledger, audience this chain, issued at most <see cref="AccessToken.MaxLifetime"/>
/// before it expires, not expired (30 s clock skew), and the signature verifies (either S, as RFC 7518 allows). The principal
/// carries who the ledger says the caller is: kind, id, organisation and roles, read from state at this moment.
/// <para>
/// An app sends the same token with every request for its few minutes of life, so a token whose signature verified is
/// remembered (by the SHA-256 of its bytes, until it expires) and not verified again: a key id is the hash of the key, so a
/// signature that verified once under it always will. Everything else, the key's status and the caller's identity included,
/// is checked at every request.
/// </para>
/// </summary>
internal sealed class AccessTokenValidator(string chain, IStateReader state, TimeProvider clock)
{
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);
    private const int MaxTokenLength = 4096;
    private const int MaxRemembered = 100_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<KeyId, PublicKey> _keys = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Hash, long> _verified = new();

    /// <summary>The caller, or the refusal.</summary>
    public (ClaimsPrincipal? Caller, TokenRefusal? Refusal) Validate(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization) || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return (null, TokenRefusal.Missing);
        }
        var token = authorization["Bearer ".Length..].Trim();
        if (token.Length > MaxTokenLength)
        {
            return Refuse("auth.bad_token", "The token is not a compact JWS.");
        }
        CompactJws jws;
        try
        {
            jws = CompactJws.Parse(token);
        }
        catch (JoseException)
        {
            return Refuse("auth.bad_token", "The token is not a compact JWS.");
        }
        if (jws.Algorithm != "ES256" || jws.Header["zip"] is not null)
        {
            return Refuse("auth.bad_token", "Only ES256 tokens are accepted.");
        }
        if (!KeyId.TryParse(jws.Kid, out var kid))
        {
            return Refuse("auth.bad_token", "kid must be the 64-hex key id of a ledger key.");
        }
        long iat, exp;
        try
        {
            using var claims = JsonDocument.Parse(jws.Payload);
            var c = claims.RootElement;
            if (c.GetProperty("aud").GetString() != chain)
            {
                return Refuse("auth.bad_token", $"The token's audience is not chain '{chain}'.", kid);
            }
            (iat, exp) = (c.GetProperty("iat").GetInt64(), c.GetProperty("exp").GetInt64());
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return Refuse("auth.bad_token", "The token's claims do not decode (aud, iat and exp are required).", kid);
        }
        if (exp - iat > (long)AccessToken.MaxLifetime.TotalSeconds || exp < iat)
        {
            return Refuse("auth.bad_token", $"Tokens live at most {AccessToken.MaxLifetime.TotalMinutes:0} minutes.", kid);
        }
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        if (now > exp + (long)Skew.TotalSeconds || iat > now + (long)Skew.TotalSeconds)
        {
            return Refuse("auth.expired_token", "The token has expired or is not valid yet.", kid);
        }
        var record = StateJson.Read<KeyRecord>(state.Get(IdentityKeys.Key(kid)));
        if (record is null || record.Status != "active")
        {
            return Refuse("auth.unknown_key", "The token's key is not an active key on the ledger.", kid);
        }
        // A key id is the hash of the key, so its parse never goes stale; only the record's status is read each time.
        var key = _keys.GetOrAdd(kid, _ => PublicKey.FromSubjectPublicKeyInfo(Convert.FromBase64String(record.PublicKey)));
        var fingerprint = Hash.Compute(System.Text.Encoding.ASCII.GetBytes(token));
        if (!_verified.ContainsKey(fingerprint))
        {
            if (!key.VerifyJws(jws.SigningInput, jws.Signature))
            {
                return Refuse("auth.bad_signature", "The token's signature does not verify.", kid);
            }
            Remember(fingerprint, exp, now);
        }
        if (Caller.Of(state, record) is not { } caller)
        {
            return Refuse("auth.unknown_key", "The token's key has no active identity (its owner is suspended or removed).", kid);
        }
        return (CallerClaims.Principal(kid, caller), null);
    }

    // Bounded: past the limit, expired tokens are forgotten first, and all of them if that is not enough.
    private void Remember(Hash fingerprint, long expires, long now)
    {
        if (_verified.Count >= MaxRemembered)
        {
            foreach (var (token, exp) in _verified)
            {
                if (now > exp + (long)Skew.TotalSeconds)
                {
                    _verified.TryRemove(token, out _);
                }
            }
            if (_verified.Count >= MaxRemembered)
            {
                _verified.Clear();
            }
        }
        _verified[fingerprint] = expires;
    }

    private static (ClaimsPrincipal?, TokenRefusal?) Refuse(string code, string reason, KeyId? kid = null) => (null, new TokenRefusal(code, reason, kid));
}

/// <summary>Why a token was refused, and the key it named when it named one.</summary>
internal sealed record TokenRefusal(string Code, string Reason, KeyId? Kid)
{
    public static readonly TokenRefusal Missing = new("auth.missing_token", "Send 'Authorization: Bearer <ES256 JWT signed by your ledger key>'.", null);
}
