using CareLedger.Contracts.Identity;
using Microsoft.AspNetCore.Authorization;

namespace CareLedger.Node.Auth;

/// <summary>
/// Named authorisation policies. Roles come from the caller's member record on the ledger (see <see cref="Roles"/>), never from
/// the token; an organisation's own key acts as its administrator.
/// </summary>
internal static class Policies
{
    /// <summary>Any active identity on the ledger.</summary>
    public const string LedgerKey = "ledger-key";

    /// <summary>The node's security officers: members of the node's organisation with the security-officer role, or its key.</summary>
    public const string SecurityOfficer = "security-officer";

    /// <summary>Privacy officers (break-glass reviews): members with the privacy-officer role, or an organisation key.</summary>
    public const string PrivacyOfficer = "privacy-officer";

    /// <summary>Exact statistics: regulators, auditors and analysts a regulator granted a budget (<see cref="Statistics.StatisticsAccess"/>).</summary>
    public const string StatisticsReader = "statistics-reader";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(StatisticsReader, p => p.AddAuthenticationSchemes(CallerClaims.Scheme).RequireAuthenticatedUser()
            .RequireAssertion(c => c.Resource is HttpContext http && CallerClaims.CallerOf(c.User) is { } caller
                && Statistics.StatisticsAccess.MayReadExact(http.RequestServices.GetRequiredService<LedgerNode>().Engine.State, caller)));
        options.AddPolicy(LedgerKey, p => p.AddAuthenticationSchemes(CallerClaims.Scheme).RequireAuthenticatedUser());
        options.AddPolicy(SecurityOfficer, p => p.AddAuthenticationSchemes(CallerClaims.Scheme).RequireAuthenticatedUser()
            .RequireAssertion(c => IsOrganisationOr(c.User, Roles.SecurityOfficer) && OfThisNode(c)));
        options.AddPolicy(PrivacyOfficer, p => p.AddAuthenticationSchemes(CallerClaims.Scheme).RequireAuthenticatedUser()
            .RequireAssertion(c => IsOrganisationOr(c.User, Roles.PrivacyOfficer)));
    }

    // The node's own organisation (the one whose key the node signs with): its refusals are its officers' business only.
    private static bool OfThisNode(AuthorizationHandlerContext c) =>
        c.Resource is HttpContext http && http.RequestServices.GetRequiredService<OrganisationSigner>().Organisation is { } organisation
        && c.User.FindFirst(CallerClaims.OrganisationClaim)?.Value == organisation;

    private static bool IsOrganisationOr(System.Security.Claims.ClaimsPrincipal user, string role) =>
        user.FindFirst(CallerClaims.KindClaim)?.Value == "organisation" || user.IsInRole(role);
}
