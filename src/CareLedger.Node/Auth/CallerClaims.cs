using System.Security.Claims;
using CareLedger.Contracts.Consent;
using CareLedger.Core.Crypto;

namespace CareLedger.Node.Auth;

/// <summary>The claims of an authenticated caller: its key and who the ledger says it is.</summary>
internal static class CallerClaims
{
    public const string Scheme = "LedgerKey";
    public const string KeyIdClaim = "kid";
    public const string KindClaim = "caller_kind";
    public const string IdClaim = "caller_id";
    public const string OrganisationClaim = "organisation";

    public static ClaimsPrincipal Principal(KeyId kid, Caller caller)
    {
        var claims = new List<Claim>
        {
            new(KeyIdClaim, kid.ToString()),
            new(KindClaim, caller.Kind),
            new(IdClaim, caller.Id),
            new(ClaimTypes.NameIdentifier, caller.Id),
            new(OrganisationClaim, caller.Organisation),
        };
        claims.AddRange(caller.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, ClaimTypes.NameIdentifier, ClaimTypes.Role));
    }

    /// <summary>The caller the claims describe, or null for an unauthenticated principal.</summary>
    public static Caller? CallerOf(ClaimsPrincipal user) =>
        user.FindFirst(KindClaim)?.Value is { } kind && user.FindFirst(IdClaim)?.Value is { } id
            ? new Caller(kind, id, user.FindFirst(OrganisationClaim)?.Value ?? "", user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList())
            : null;
}
