using System.Text.Json.Nodes;
using CareLedger.Client;
using CareLedger.Contracts.SupplyChain.Epcis;
using CareLedger.Core.Encoding;
using CareLedger.Node.Records;

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

    private static async Task<IResult> Capture(HttpContext http, LedgerNode node, Gatekeeper gate, TransactionFactory organisation, CancellationToken ct)
    {
        if (GateHttp.CallerOf(http, node) is not { } caller)
        {
            return GateHttp.NoIdentityProblem();
        }
        if (caller.Kind == "patient" || caller.Organisation != gate.Custodian)
        {
            return Problems.Of("epcis.not_authorised", $"This node captures for {gate.Custodian ?? "its organisation"}; send your events to your own organisation's node.",
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
                var tx = organisation.Create(step.Type, TransactionArgs.FromJson(step.Args));
                var (result, refusal) = await node.SubmitAndWaitAsync(tx, TimeSpan.FromSeconds(30), ct);
                if (result is not { Status: Core.Ledger.TransactionStatus.Committed })
                {
                    var code = refusal?.Code ?? result?.Code ?? "commit.timeout";
                    var message = refusal?.Message ?? result?.Message ?? "Not confirmed in time.";
                    return Problems.Of(code, $"Event {captured.HashId}: {step.Type} refused ({message}). {report.Count} earlier event(s) were captured.");
                }
                transactions.Add(tx.Id.ToString());
            }
            report.Add(new CapturedView(captured.HashId, transactions));
        }
        return Results.Ok(report);
    }

    /// <summary>A captured event: its CBV 2.0 hash ID and the ledger transactions it became (the last anchors the hash).</summary>
    public sealed record CapturedView(string EventId, IReadOnlyList<string> Transactions);
}
