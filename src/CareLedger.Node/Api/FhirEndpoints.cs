using CareLedger.Contracts;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Records;
using CareLedger.Core.Crypto;
using CareLedger.Node.Records;
using CareLedger.Vault;

namespace CareLedger.Node.Api;

/// <summary>
/// FHIR R4 create and read through the gatekeeper (<c>/fhir</c>), and a patient's access log
/// (<c>/api/v1/patients/{patient}/accesses</c>). All need an access token.
/// </summary>
internal static class FhirEndpoints
{
    private const string FhirJson = "application/fhir+json";

    public static void Map(RouteGroupBuilder fhir, RouteGroupBuilder api)
    {
        fhir.MapPost("/{resourceType}", Create)
            .WithSummary("Store a FHIR R4 resource for a patient (?patient=&category=); needs the patient's consent to append")
            .Accepts<object>(FhirJson, "application/json");
        fhir.MapGet("/Consent", (string? patient, HttpContext http, LedgerNode node) => patient is null
                ? Fhir(GateResult.Refused(400, "fhir.missing_parameter", "Give ?patient=<pseudonym>."))
                : ForPatient(patient, http, node, () => ConsentBundle(node, patient)))
            .WithSummary("The patient's grants as a FHIR R4 Bundle of Consent resources (the patient or a reading delegate)");
        fhir.MapGet("/AuditEvent", (string? patient, HttpContext http, LedgerNode node, Gatekeeper gate) => patient is null
                ? Fhir(GateResult.Refused(400, "fhir.missing_parameter", "Give ?patient=<pseudonym>."))
                : ForPatient(patient, http, node, () => AuditBundle(node, gate, patient)))
            .WithSummary("The patient's access history as a FHIR R4 Bundle of AuditEvent resources");
        fhir.MapGet("/{resourceType}", async (string resourceType, string? patient, string? purpose, HttpContext http, LedgerNode node, Gatekeeper gate, CancellationToken ct) =>
                CallerOf(http, node) is not { } caller
                    ? Fhir(GateResult.Refused(403, "auth.unknown_key", "The token's key has no active identity."))
                    : patient is null
                        ? Fhir(GateResult.Refused(400, "fhir.missing_parameter", "Give ?patient=<pseudonym>."))
                        : Fhir(await gate.SearchAsync(caller, patient, resourceType, purpose ?? PurposeOfUse.Treatment, ct)))
            .WithSummary("Search a patient's records of a type (?patient=&purpose=): a Bundle of only what the caller may read, each release on the ledger");
        fhir.MapGet("/{resourceType}/{id}", (string resourceType, string id, string? purpose, HttpContext http, LedgerNode node, Gatekeeper gate, CancellationToken ct) =>
                Read(resourceType, id, null, purpose, http, node, gate, ct))
            .WithSummary("Read a record (?purpose=TREAT|…); the access is committed to the ledger before anything is released");
        fhir.MapGet("/{resourceType}/{id}/_history/{version:int}", (string resourceType, string id, int version, string? purpose, HttpContext http, LedgerNode node, Gatekeeper gate, CancellationToken ct) =>
                Read(resourceType, id, version, purpose, http, node, gate, ct))
            .WithSummary("Read one version of a record");
        api.MapPost("/documents", CreateDocument)
            .WithSummary("Store a binary document (scan, PDF; the request's Content-Type is kept) for a patient (?patient=&category=)")
            .Accepts<byte[]>("application/pdf", "image/jpeg", "image/png", "application/octet-stream");
        api.MapGet("/documents/{id}", ReadDocument)
            .WithSummary("Read a document's bytes (?purpose=&version=); the access is committed to the ledger first");
        api.MapGet("/patients/{patient}/accesses", (string patient, HttpContext http, LedgerNode node) =>
                ForPatient(patient, http, node, () => Accesses(node, patient)))
            .WithSummary("Who accessed the patient's records, when, why, and whether it was released")
            .Produces<IReadOnlyList<AccessEntry>>();
        api.MapGet("/patients/{patient}/records", (string patient, HttpContext http, LedgerNode node) =>
                ForPatient(patient, http, node, () => ListOf<RecordEntry>(node, RecordKeys.PatientRecords(patient), RecordKeys.Record)))
            .WithSummary("The patient's records: custodian, category, type, versions (no content)")
            .Produces<IReadOnlyList<RecordEntry>>();
        api.MapGet("/patients/{patient}/grants", (string patient, HttpContext http, LedgerNode node) =>
                ForPatient(patient, http, node, () => GrantsOf(node, patient)))
            .WithSummary("Who may see what, for which purposes, until when")
            .Produces<IReadOnlyList<ConsentGrant>>();
        api.MapGet("/patients/{patient}/delegates", (string patient, HttpContext http, LedgerNode node) =>
                ForPatient(patient, http, node, () => node.Store.ScanState($"consent/delegate/{patient}/", 1000)
                    .Select(row => StateJson.Read<Delegation>(row.Value)!).ToList()))
            .WithSummary("The patient's guardians and proxies with their mandates")
            .Produces<IReadOnlyList<Delegation>>();
    }

    private static async Task<IResult> Create(string resourceType, string? patient, string? category, HttpContext http, LedgerNode node, Gatekeeper gate, CancellationToken ct)
    {
        if (CallerOf(http, node) is not { } caller)
        {
            return Fhir(GateResult.Refused(403, "auth.unknown_key", "The token's key has no active identity."));
        }
        if (string.IsNullOrEmpty(patient) || string.IsNullOrEmpty(category))
        {
            return Fhir(GateResult.Refused(400, "fhir.missing_parameter", "Give ?patient=<pseudonym>&category=<code>."));
        }
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync(ct);
        var result = await gate.CreateAsync(caller, patient, category, resourceType, body, ct);
        if (result.RecordId is not null)
        {
            http.Response.Headers.Location = $"/fhir/{resourceType}/{Gatekeeper.FhirId(result.RecordId)}/_history/{result.Version}";
            http.Response.Headers.ETag = $"W/\"{result.Version}\"";
        }
        return Fhir(result);
    }

    private static async Task<IResult> CreateDocument(string? patient, string? category, HttpContext http, LedgerNode node, Gatekeeper gate, CancellationToken ct)
    {
        if (CallerOf(http, node) is not { } caller)
        {
            return Problems.Of("auth.unknown_key", "The token's key has no active identity.", StatusCodes.Status403Forbidden);
        }
        if (string.IsNullOrEmpty(patient) || string.IsNullOrEmpty(category))
        {
            return Problems.Of("request.missing_parameter", "Give ?patient=<pseudonym>&category=<code>.");
        }
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, ct);
        var result = await gate.CreateBinaryAsync(caller, patient, category, body.ToArray(), http.Request.ContentType ?? "application/octet-stream", ct);
        return result.RecordId is null
            ? Problems.Of(result.Code, Diagnostics(result), result.Status)
            : Results.Created($"/api/v1/documents/{Gatekeeper.FhirId(result.RecordId)}", new { record = result.RecordId, version = 1 });
    }

    private static async Task<IResult> ReadDocument(string id, string? purpose, int? version, HttpContext http, LedgerNode node, Gatekeeper gate, CancellationToken ct)
    {
        if (CallerOf(http, node) is not { } caller)
        {
            return Problems.Of("auth.unknown_key", "The token's key has no active identity.", StatusCodes.Status403Forbidden);
        }
        if (id.Length != 32 || !id.All(char.IsAsciiHexDigitLower))
        {
            return Problems.NotFound($"Document {id}");
        }
        var (refusal, content, mediaType) = await gate.ReadDocumentAsync(caller, "record:" + id, version, purpose ?? PurposeOfUse.Treatment, ct);
        return refusal is not null ? Problems.Of(refusal.Code, Diagnostics(refusal), refusal.Status) : Results.File(content!, mediaType);
    }

    private static string Diagnostics(GateResult result) =>
        (result.Resource as Hl7.Fhir.Model.OperationOutcome)?.Issue.FirstOrDefault()?.Diagnostics ?? result.Code;

    private static async Task<IResult> Read(string resourceType, string id, int? version, string? purpose, HttpContext http, LedgerNode node, Gatekeeper gate, CancellationToken ct)
    {
        if (CallerOf(http, node) is not { } caller)
        {
            return Fhir(GateResult.Refused(403, "auth.unknown_key", "The token's key has no active identity."));
        }
        if (id.Length != 32 || !id.All(char.IsAsciiHexDigitLower))
        {
            return Fhir(GateResult.Refused(404, "not_found", $"No {resourceType}/{id}."));
        }
        var result = await gate.ReadAsync(caller, "record:" + id, version, purpose ?? PurposeOfUse.Treatment, ct);
        if (result.Status == 200 && result.Resource.TypeName != resourceType)
        {
            return Fhir(GateResult.Refused(404, "not_found", $"Record {id} is not a {resourceType}."));
        }
        return Fhir(result);
    }

    // Patient views: the patient, or a delegate whose mandate includes "read".
    private static IResult ForPatient<T>(string patient, HttpContext http, LedgerNode node, Func<T> view)
    {
        if (!MayView(patient, http, node))
        {
            return Problems.Of(ConsentErrors.NotAuthorised, "Only the patient or a delegate with the read mandate sees this.", StatusCodes.Status403Forbidden);
        }
        var value = view();
        return value as IResult ?? Results.Ok(value);
    }

    private static bool MayView(string patient, HttpContext http, LedgerNode node) =>
        CallerOf(http, node) is { } caller
        && AccessDecisionPoint.ActsForPatient(node.Engine.State, caller, patient, "read", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    private static List<AccessEntry> Accesses(LedgerNode node, string patient) =>
        node.Store.ScanState(RecordKeys.AccessPrefix(patient), 10_000)
            .Select(row => StateJson.Read<AccessEntry>(row.Value)!).OrderBy(e => e.Timestamp).ToList();

    private static IResult AuditBundle(LedgerNode node, Gatekeeper gate, string patient) =>
        Fhir(new GateResult(200, "ok", Searchset(Accesses(node, patient).Select(e => FhirAuditEventExport.ToFhir(e, gate.Custodian))), null, null));

    private static Hl7.Fhir.Model.Bundle Searchset(IEnumerable<Hl7.Fhir.Model.Resource> resources)
    {
        var bundle = new Hl7.Fhir.Model.Bundle { Type = Hl7.Fhir.Model.Bundle.BundleType.Searchset };
        foreach (var resource in resources)
        {
            bundle.Entry.Add(new Hl7.Fhir.Model.Bundle.EntryComponent { Resource = resource });
        }
        bundle.Total = bundle.Entry.Count;
        return bundle;
    }

    private static IResult ConsentBundle(LedgerNode node, string patient)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var grants = GrantsOf(node, patient);
        return Fhir(new GateResult(200, "ok", Searchset(grants.Select(g => FhirConsentExport.ToFhir(g, now))), null, null));
    }

    private static List<ConsentGrant> GrantsOf(LedgerNode node, string patient) =>
        (StateJson.Read<List<GrantRef>>(node.Engine.State.Get(ConsentKeys.PatientGrants(patient))) ?? [])
            .Select(g => StateJson.Read<ConsentGrant>(node.Engine.State.Get(ConsentKeys.Grant(g.Id)))!)
            .ToList();

    private static List<T> ListOf<T>(LedgerNode node, string listKey, Func<string, string> itemKey) where T : class =>
        (StateJson.Read<List<string>>(node.Engine.State.Get(listKey)) ?? [])
            .Select(id => StateJson.Read<T>(node.Engine.State.Get(itemKey(id)))!)
            .ToList();

    private static Caller? CallerOf(HttpContext http, LedgerNode node) =>
        KeyId.TryParse(http.User.FindFirst("kid")?.Value, out var kid) ? Caller.Resolve(node.Engine.State, kid) : null;

    private static IResult Fhir(GateResult result) =>
        Results.Content(FhirResourceReader.ToJson(result.Resource), FhirJson, System.Text.Encoding.UTF8, result.Status);
}
