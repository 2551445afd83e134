using CareLedger.Contracts;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Records;
using CareLedger.Node.Records;

using CareLedger.Node.Insurance;

namespace CareLedger.Node.Api;

/// <summary>
/// FHIR R4 through the gatekeeper (<c>/fhir</c>): create, read, version read and search of records, and a
/// patient's grants and access history as Consent and AuditEvent resources. All need an access token.
/// </summary>
internal static class FhirEndpoints
{
    public static void Map(RouteGroupBuilder fhir)
    {
        fhir.MapPost("/{resourceType}", Create)
            .WithSummary("Store a FHIR R4 resource for a patient (?patient=&category=); needs the patient's consent to append")
            .Accepts<object>(GateHttp.FhirJson, "application/json");
        fhir.MapGet("/Consent", (string? patient, HttpContext http, LedgerNode node) => patient is null
                ? MissingPatient()
                : PatientEndpoints.ForPatient(patient, http, node, () => GateHttp.Fhir(Searchset(
                    PatientEndpoints.Grants(node, patient).Select(g => FhirConsentExport.ToFhir(g, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()))))))
            .WithSummary("The patient's grants as a FHIR R4 Bundle of Consent resources (the patient or a reading delegate)");
        fhir.MapGet("/AuditEvent", (string? patient, HttpContext http, LedgerNode node) => patient is null
                ? MissingPatient()
                : PatientEndpoints.ForPatient(patient, http, node, () => GateHttp.Fhir(Searchset(
                    PatientEndpoints.Accesses(node, patient).Select(e => FhirAuditEventExport.ToFhir(e, CustodianOf(node, e.Record)))))))
            .WithSummary("The patient's access history as a FHIR R4 Bundle of AuditEvent resources");
        fhir.MapGet("/ExplanationOfBenefit", (string? patient, HttpContext http, LedgerNode node) => patient is null
                ? MissingPatient()
                : PatientEndpoints.ForPatient(patient, http, node, () => GateHttp.Fhir(Searchset(InsuranceEndpoints.Policies(node, patient)
                    .SelectMany(p => p.Claims.Select(c => FhirExplanationOfBenefitExport.ToFhir(c, p.Currency)))))))
            .WithSummary("The patient's explanations of benefits (one per claim) as a FHIR R4 Bundle");
        fhir.MapGet("/{resourceType}", Search)
            .WithSummary("Search a patient's records of a type (?patient=&purpose=&code=&_count=): a Bundle of only what the caller may read, each release on the ledger");
        fhir.MapGet("/{resourceType}/{id}", (string resourceType, string id, string? purpose, HttpContext http, LedgerNode node, Gatekeeper gate, CancellationToken ct) =>
                Read(resourceType, id, null, purpose, http, node, gate, ct))
            .WithSummary("Read a record (?purpose=TREAT|…); the access is committed to the ledger before anything is released");
        fhir.MapGet("/{resourceType}/{id}/_history/{version:int}", (string resourceType, string id, int version, string? purpose, HttpContext http, LedgerNode node, Gatekeeper gate, CancellationToken ct) =>
                Read(resourceType, id, version, purpose, http, node, gate, ct))
            .WithSummary("Read one version of a record");
    }

    private static async Task<IResult> Create(string resourceType, string? patient, string? category, HttpContext http, LedgerNode node, Gatekeeper gate, CancellationToken ct)
    {
        var caller = GateHttp.CallerOf(http);
        if (string.IsNullOrEmpty(patient) || string.IsNullOrEmpty(category))
        {
            return GateHttp.Fhir(GateResult.Refused(400, "fhir.missing_parameter", "Give ?patient=<pseudonym>&category=<code>."));
        }
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync(ct);
        var result = await gate.CreateAsync(caller, patient, category, resourceType, body, ct);
        if (result.RecordId is not null)
        {
            http.Response.Headers.Location = $"/fhir/{resourceType}/{Gatekeeper.FhirId(result.RecordId)}/_history/{result.Version}";
            http.Response.Headers.ETag = $"W/\"{result.Version}\"";
        }
        return GateHttp.Fhir(result);
    }

    private static async Task<IResult> Read(string resourceType, string id, int? version, string? purpose, HttpContext http, LedgerNode node, Gatekeeper gate, CancellationToken ct)
    {
        var caller = GateHttp.CallerOf(http);
        if (id.Length != 32 || !id.All(char.IsAsciiHexDigitLower))
        {
            return GateHttp.Fhir(GateResult.Refused(404, "not_found", $"No {resourceType}/{id}."));
        }
        if (http.RequestServices.GetService<CustodianProxy>() is { } proxy
            && await proxy.RemoteCustodianApiAsync("record:" + id, gate.Custodian, ct) is { } custodianApi)
        {
            return await proxy.RelayAsync(custodianApi, http, ct);
        }
        var result = await gate.ReadAsync(caller, "record:" + id, version, purpose ?? PurposeOfUse.Treatment, ct);
        if (result.Status == 200 && result.Resource.TypeName != resourceType)
        {
            return GateHttp.Fhir(GateResult.Refused(404, "not_found", $"Record {id} is not a {resourceType}."));
        }
        return GateHttp.Fhir(result);
    }

    private static async Task<IResult> Search(string resourceType, string? patient, string? purpose, HttpContext http, Gatekeeper gate, CancellationToken ct)
    {
        if (patient is null)
        {
            return MissingPatient();
        }
        var (search, refusal) = FhirSearch.From(http.Request.Query);
        return refusal is not null
            ? GateHttp.Fhir(GateResult.Refused(400, "fhir.unsupported_parameter", refusal))
            : GateHttp.Fhir(await gate.SearchAsync(GateHttp.CallerOf(http), patient, resourceType, purpose ?? PurposeOfUse.Treatment, search!, ct));
    }

    private static IResult MissingPatient() => GateHttp.Fhir(GateResult.Refused(400, "fhir.missing_parameter", "Give ?patient=<pseudonym>."));

    private static GateResult Searchset(IEnumerable<Hl7.Fhir.Model.Resource> resources)
    {
        var bundle = new Hl7.Fhir.Model.Bundle { Type = Hl7.Fhir.Model.Bundle.BundleType.Searchset };
        foreach (var resource in resources)
        {
            bundle.Entry.Add(new Hl7.Fhir.Model.Bundle.EntryComponent { Resource = resource });
        }
        bundle.Total = bundle.Entry.Count;
        return new GateResult(200, "ok", bundle, null, null);
    }

    // The observer of an access is the custodian of the record read (in a consortium, not always this node's organisation).
    private static string CustodianOf(LedgerNode node, string record) =>
        StateJson.Read<RecordEntry>(node.Engine.State.Get(RecordKeys.Record(record)))?.Custodian ?? "unknown";
}
