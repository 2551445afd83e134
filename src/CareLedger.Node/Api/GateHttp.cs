using CareLedger.Contracts.Consent;
using CareLedger.Node.Records;
using CareLedger.Vault;

namespace CareLedger.Node.Api;

/// <summary>What the gatekeeper's HTTP endpoints share: who the caller is, and how a gate result is answered.</summary>
internal static class GateHttp
{
    public const string FhirJson = "application/fhir+json";

    /// <summary>The caller behind the request's access token (as the ledger knew it when the token was checked), or null.</summary>
    public static Caller? CallerOf(HttpContext http, LedgerNode node) => Auth.CallerClaims.CallerOf(http.User);

    /// <summary>The refusal for a token whose key has no active identity, as FHIR.</summary>
    public static IResult NoIdentityFhir() => Fhir(GateResult.Refused(403, "auth.unknown_key", "The token's key has no active identity."));

    /// <summary>The same refusal as RFC 9457 problem details.</summary>
    public static IResult NoIdentityProblem() => Problems.Of("auth.unknown_key", "The token's key has no active identity.", StatusCodes.Status403Forbidden);

    /// <summary>A gate result as FHIR JSON (a resource, a Bundle or an OperationOutcome) with its status.</summary>
    public static IResult Fhir(GateResult result) =>
        Results.Content(FhirResourceReader.ToJson(result.Resource), FhirJson, System.Text.Encoding.UTF8, result.Status);

    /// <summary>A gate refusal as RFC 9457 problem details.</summary>
    public static IResult Problem(GateResult refusal) =>
        Problems.Of(refusal.Code, (refusal.Resource as Hl7.Fhir.Model.OperationOutcome)?.Issue.FirstOrDefault()?.Diagnostics ?? refusal.Code, refusal.Status);
}
