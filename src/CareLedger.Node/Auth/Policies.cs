using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Identity;
using CareLedger.Node.Records;
using CareLedger.Node.Statistics;
using Microsoft.AspNetCore.Authorization;

namespace CareLedger.Node.Auth;

/// <summary>
/// Named authorisation policies. Roles come from the caller's member record on the ledger (see <see cref="Roles"/>), never from
/// the token; an organisation's own key acts as its administrator. Each rule is the one the portal applies too.
/// </summary>
internal static class Policies
{
    /// <summary>Any active identity on the ledger.</summary>
    public const string LedgerKey = "ledger-key";

    /// <summary>The node's security officers: members of the node's organisation with the security-officer role, or its key.</summary>
    public const string SecurityOfficer = "security-officer";

    /// <summary>The node's operator: the key of the organisation that runs this node (backups carry its private keys).</summary>
    public const string NodeOperator = "node-operator";

    /// <summary>Privacy officers (break-glass reviews, <see cref="EmergencyReviews.MayReview"/>).</summary>
    public const string PrivacyOfficer = "privacy-officer";

    /// <summary>Exact statistics (<see cref="StatisticsAccess.MayReadExact"/>): auditors and analysts a regulator granted a budget.</summary>
    public const string StatisticsReader = "statistics-reader";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(LedgerKey, p => Authenticated(p));
        options.AddPolicy(SecurityOfficer, p => Authenticated(p).RequireAssertion(c => Allowed(c, (http, caller) =>
            (caller.Kind == "organisation" || caller.Roles.Contains(Roles.SecurityOfficer))
            && caller.Organisation == http.RequestServices.GetRequiredService<OrganisationSigner>().Organisation)));
        options.AddPolicy(NodeOperator, p => Authenticated(p).RequireAssertion(c => Allowed(c, (http, caller) =>
            caller.Kind == "organisation" && caller.Organisation == http.RequestServices.GetRequiredService<OrganisationSigner>().Organisation)));
        options.AddPolicy(PrivacyOfficer, p => Authenticated(p).RequireAssertion(c => Allowed(c, (_, caller) => EmergencyReviews.MayReview(caller))));
        options.AddPolicy(StatisticsReader, p => Authenticated(p).RequireAssertion(c => Allowed(c, (http, caller) =>
            StatisticsAccess.MayReadExact(http.RequestServices.GetRequiredService<LedgerNode>().Engine.State, caller))));
    }

    private static AuthorizationPolicyBuilder Authenticated(AuthorizationPolicyBuilder policy) =>
        policy.AddAuthenticationSchemes(CallerClaims.Scheme).RequireAuthenticatedUser();

    private static bool Allowed(AuthorizationHandlerContext context, Func<HttpContext, Caller, bool> rule) =>
        context.Resource is HttpContext http && CallerClaims.CallerOf(context.User) is { } caller && rule(http, caller);
}
