using System.Text.Json.Nodes;

namespace CareLedger.Contracts.SupplyChain.Epcis;

/// <summary>The events of an EPCIS 2.0 JSON-LD document (<c>epcisBody.eventList</c>), or of a bare JSON array of events.</summary>
public static class EpcisDocument
{
    /// <summary>The events in document order; <see cref="EpcisException"/> when there are none to read.</summary>
    public static IReadOnlyList<JsonObject> Events(JsonNode? document)
    {
        var events = document switch
        {
            JsonArray list => list,
            JsonObject doc => doc["epcisBody"]?["eventList"] as JsonArray ?? doc["eventList"] as JsonArray,
            _ => null,
        } ?? throw new EpcisException("epcis.malformed", "No epcisBody.eventList.");
        return events.Select(e => e as JsonObject ?? throw new EpcisException("epcis.bad_event", "An event is not a JSON object.")).ToList();
    }
}
