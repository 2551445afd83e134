using Hl7.Fhir.Model;
using CareLedger.Node.Records;

namespace CareLedger.Node.Api;

/// <summary>
/// <c>GET /fhir/metadata</c>: the FHIR R4 CapabilityStatement, open to anyone as FHIR clients expect, saying exactly what this
/// server does: create, read and version read of records through the gatekeeper (consent decides, every read is on the ledger
/// first), search by patient, and a patient's grants, access history and claims as Consent, AuditEvent and ExplanationOfBenefit.
/// </summary>
internal static class FhirCapabilities
{
    /// <summary>Clinical resource types the gatekeeper stores; any FHIR R4 type validates, these are the ones declared.</summary>
    private static readonly string[] ClinicalTypes =
        ["Observation", "Condition", "MedicationRequest", "MedicationStatement", "AllergyIntolerance", "DiagnosticReport", "Procedure", "Immunization",
         "Encounter", "CarePlan", "DocumentReference", "Claim"];

    public static void Map(WebApplication app) =>
        app.MapGet("/fhir/metadata", () => GateHttp.Fhir(new GateResult(200, "ok", Statement(), null, null)))
            .WithTags("FHIR").WithSummary("The FHIR R4 CapabilityStatement (no token needed)");

    private static CapabilityStatement Statement()
    {
        var rest = new CapabilityStatement.RestComponent
        {
            Mode = CapabilityStatement.RestfulCapabilityMode.Server,
            Documentation = "Every read is decided from the patient's consent on the ledger and its access entry is committed to the ledger before " +
                            "anything is released; records are created for a patient with ?patient=<pseudonym>&category=<code>. Searches take _count " +
                            "(1-1000, no paging yet); unsupported parameters are refused, never ignored.",
            Security = new CapabilityStatement.SecurityComponent
            {
                Description = "Bearer tokens: ES256 JWTs signed by a key registered on the ledger (kid = key id, aud = chain id, at most 5 minutes).",
            },
        };
        foreach (var type in ClinicalTypes)
        {
            rest.Resource.Add(new CapabilityStatement.ResourceComponent
            {
                Type = type,
                Versioning = CapabilityStatement.ResourceVersionPolicy.Versioned,
                ReadHistory = false,
                Interaction =
                [
                    new() { Code = CapabilityStatement.TypeRestfulInteraction.Create },
                    new() { Code = CapabilityStatement.TypeRestfulInteraction.Read },
                    new() { Code = CapabilityStatement.TypeRestfulInteraction.Vread },
                    new() { Code = CapabilityStatement.TypeRestfulInteraction.SearchType },
                ],
                SearchParam =
                [
                    new() { Name = "patient", Type = SearchParamType.Reference, Documentation = "The patient's pseudonym (required)." },
                    new() { Name = "code", Type = SearchParamType.Token, Documentation = "code or system|code against code.coding; comma-separated alternatives." },
                ],
            });
        }
        foreach (var type in new[] { "Consent", "AuditEvent", "ExplanationOfBenefit" })
        {
            rest.Resource.Add(new CapabilityStatement.ResourceComponent
            {
                Type = type,
                Interaction = [new() { Code = CapabilityStatement.TypeRestfulInteraction.SearchType }],
                SearchParam = [new() { Name = "patient", Type = SearchParamType.Reference, Documentation = "The patient's pseudonym (required)." }],
            });
        }
        return new CapabilityStatement
        {
            Status = PublicationStatus.Active,
            Date = "2026-12-08",
            Kind = CapabilityStatementKind.Instance,
            Software = new CapabilityStatement.SoftwareComponent { Name = "CareLedger", Version = typeof(FhirCapabilities).Assembly.GetName().Version?.ToString() },
            Implementation = new CapabilityStatement.ImplementationComponent { Description = "CareLedger node: FHIR R4 through the consent gatekeeper" },
            FhirVersion = FHIRVersion.N4_0_1,
            Format = ["json"],
            Rest = [rest],
        };
    }
}
