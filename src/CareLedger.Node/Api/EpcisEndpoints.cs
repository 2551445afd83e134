using System.Text.Json.Nodes;
using CareLedger.Contracts.SupplyChain.Epcis;

namespace CareLedger.Node.Api;

/// <summary>
/// EPCIS capture for this node's organisation: its staff post an EPCIS 2.0 document; the node turns each
/// event into the supply transactions it stands for, signs them with the organisation's key, and anchors the
/// event's hash ID. The contracts check everything as for any submission; capture stops at the first refusal.
/// </summary>
internal static class EpcisEndpoints
{
    private const int MaxDocumentBytes = 4 * 1024 * 1024;

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/epcis/capture", Capture)
            .WithSummary("Capture an EPCIS 2.0 JSON-LD document for this node's organisation (its staff or key)")
            .WithDescription("Each event becomes supply transactions signed by the organisation, and its CBV 2.0 hash ID is anchored. " +
                             "The answer lists, per event, its hash ID and the transactions; a refusal stops the capture and says which.")
            .Accepts<JsonObject>("application/ld+json", "application/json");

    private static async Task<IResult> Capture(HttpContext http, LedgerNode node, OrganisationSigner organisation, CancellationToken ct)
    {
        var caller = GateHttp.CallerOf(http);
        if (caller.Kind == "patient" || caller.Organisation != organisation.Organisation)
        {
            return Problems.Of("epcis.not_authorised", $"This node captures for {organisation.Organisation ?? "its organisation"}; send your events to your own organisation's node.",
                StatusCodes.Status403Forbidden);
        }
        IReadOnlyList<EpcisCapture.CapturedEvent> events;
        try
        {
            using var reader = new StreamReader(http.Request.Body);
            var text = await reader.ReadToEndAsync(ct);
            if (text.Length > MaxDocumentBytes)
            {
                return Problems.Of("request.too_large", "An EPCIS document is at most 4 MiB here; split it.", StatusCodes.Status413PayloadTooLarge);
            }
            events = EpcisCapture.Translate(JsonNode.Parse(text) ?? throw new EpcisException("epcis.malformed", "Empty document."));
        }
        catch (System.Text.Json.JsonException)
        {
            return Problems.Of("epcis.malformed", "The body is not JSON.");
        }
        catch (EpcisException ex)
        {
            return Problems.Of(ex.Code, ex.Message);
        }
        var report = new List<CapturedView>();
        foreach (var captured in events)
        {
            var transactions = new List<string>();
            foreach (var step in captured.Steps)
            {
                var submitted = await organisation.SubmitAsync(step.Type, step.Args, ct);
                if (!submitted.Committed)
                {
                    return Problems.Of(submitted.Code!, $"Event {captured.HashId}: {step.Type} refused ({submitted.Message}). {report.Count} earlier event(s) were captured.");
                }
                transactions.Add(submitted.Result!.TransactionId.ToString());
            }
            report.Add(new CapturedView(captured.HashId, transactions));
        }
        return Results.Ok(report);
    }

    /// <summary>A captured event: its CBV 2.0 hash ID and the ledger transactions it became (the last anchors the hash).</summary>
    public sealed record CapturedView(string EventId, IReadOnlyList<string> Transactions);
}
