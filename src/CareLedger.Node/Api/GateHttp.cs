using CareLedger.Contracts.Consent;
using CareLedger.Node.Records;
using CareLedger.Vault;

namespace CareLedger.Node.Api;

/// <summary>What the gatekeeper's HTTP endpoints share: who the caller is, and how a gate result is answered.</summary>
internal static class GateHttp
{
    public const string FhirJson = "application/fhir+json";

    /// <summary>
    /// The caller behind the request's access token, as the ledger knew them when the token was checked. Every endpoint that asks is
    /// under the <c>ledger-key</c> policy, whose handler admits only tokens of keys with an active identity.
    /// </summary>
    public static Caller CallerOf(HttpContext http) =>
        Auth.CallerClaims.CallerOf(http.User) ?? throw new InvalidOperationException("An endpoint outside the ledger-key policy asked for its caller.");

    /// <summary>A gate result as FHIR JSON (a resource, a Bundle or an OperationOutcome) with its status.</summary>
    public static IResult Fhir(GateResult result) =>
        Results.Content(FhirResourceReader.ToJson(result.Resource), FhirJson, System.Text.Encoding.UTF8, result.Status);

    /// <summary>A gate refusal as RFC 9457 problem details.</summary>
    public static IResult Problem(GateResult refusal) =>
        Problems.Of(refusal.Code, (refusal.Resource as Hl7.Fhir.Model.OperationOutcome)?.Issue.FirstOrDefault()?.Diagnostics ?? refusal.Code, refusal.Status);
}
