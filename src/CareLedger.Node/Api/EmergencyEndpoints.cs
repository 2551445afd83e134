using CareLedger.Contracts.Consent;
using CareLedger.Node.Auth;
using CareLedger.Node.Records;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CareLedger.Node.Api;

/// <summary>Break-glass review for privacy officers. The verdict itself is a signed transaction (consent.review_emergency).</summary>
internal static class EmergencyEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var officers = api.MapGroup("/emergencies").RequireAuthorization(Policies.PrivacyOfficer);
        officers.MapGet("/review-queue", (HttpContext http) => TypedResults.Ok(EmergencyReviews.Queue(Ledger(http), Organisation(http))))
            .WithSummary("Break-glass accesses by your organisation's clinicians that wait for your review, oldest first")
            .WithDescription("For privacy officers (or the organisation's key). Review each with a signed consent.review_emergency {emergency, justified}: " +
                             "an unjustified access ends at once and flags the clinician.");
        officers.MapGet("/flags/{clinician}", Results<Ok<ClinicianFlag>, NotFound> (string clinician, HttpContext http) =>
                EmergencyReviews.FlagOf(Ledger(http), clinician) is { } flag && flag.Organisation == Organisation(http) ? TypedResults.Ok(flag) : TypedResults.NotFound())
            .WithSummary("A clinician of your organisation flagged for unjustified emergency accesses");
    }

    private static CareLedger.Ledger.Execution.IStateReader Ledger(HttpContext http) => http.RequestServices.GetRequiredService<LedgerNode>().Engine.State;

    private static string Organisation(HttpContext http) => http.User.FindFirst(CallerClaims.OrganisationClaim)!.Value;
}
