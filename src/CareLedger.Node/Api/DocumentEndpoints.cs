using CareLedger.Contracts.Consent;
using CareLedger.Node.Records;

namespace CareLedger.Node.Api;

/// <summary>Binary documents (scans, PDFs) through the gatekeeper: <c>/api/v1/documents</c>.</summary>
internal static class DocumentEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/documents", Create)
            .WithSummary("Store a binary document (scan, PDF; the request's Content-Type is kept) for a patient (?patient=&category=)")
            .Accepts<byte[]>("application/pdf", "image/jpeg", "image/png", "application/octet-stream");
        api.MapGet("/documents/{id}", Read)
            .WithSummary("Read a document's bytes (?purpose=&version=); the access is committed to the ledger first");
    }

    private static async Task<IResult> Create(string? patient, string? category, HttpContext http, LedgerNode node, Gatekeeper gate, CancellationToken ct)
    {
        var caller = GateHttp.CallerOf(http);
        if (string.IsNullOrEmpty(patient) || string.IsNullOrEmpty(category))
        {
            return Problems.Of("request.missing_parameter", "Give ?patient=<pseudonym>&category=<code>.");
        }
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, ct);
        var result = await gate.CreateBinaryAsync(caller, patient, category, body.ToArray(), http.Request.ContentType ?? "application/octet-stream", ct);
        return result.RecordId is null
            ? GateHttp.Problem(result)
            : Results.Created($"/api/v1/documents/{Gatekeeper.FhirId(result.RecordId)}", new { record = result.RecordId, version = 1 });
    }

    private static async Task<IResult> Read(string id, string? purpose, int? version, HttpContext http, LedgerNode node, Gatekeeper gate, CancellationToken ct)
    {
        var caller = GateHttp.CallerOf(http);
        if (id.Length != 32 || !id.All(char.IsAsciiHexDigitLower))
        {
            return Problems.NotFound($"Document {id}");
        }
        var (refusal, content, mediaType) = await gate.ReadDocumentAsync(caller, "record:" + id, version, purpose ?? PurposeOfUse.Treatment, ct);
        return refusal is not null ? GateHttp.Problem(refusal) : Results.File(content!, mediaType);
    }
}
