using CareLedger.Node.Auth;

namespace CareLedger.Node.Api;

/// <summary>The node's security events, for its organisation's security officers.</summary>
internal static class SecurityEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/security/refusals", (SecurityEvents events, int? limit) => TypedResults.Ok(events.Recent(limit ?? 100)))
            .RequireAuthorization(Policies.SecurityOfficer)
            .WithSummary("Recent refused requests at this node (newest first): code, key id, route, remote address")
            .WithDescription("For members of the node's organisation with the security-officer role, or its key. Keeps the last 1,000.");
    }
}
