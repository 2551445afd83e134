using System.Globalization;
using System.Text.Json.Nodes;

namespace CareLedger.Contracts.SupplyChain.Epcis;

/// <summary>
/// A unit's trace as an EPCIS 2.0 JSON-LD document: one event per step of its history, with CBV 2.0 business
/// steps and dispositions, the lot and expiry as ILMD on commissioning, organisations as source and
/// destination, and each event's CBV 2.0 hash ID as its <c>eventID</c>.
/// </summary>
public static class EpcisExport
{
    private const string Context = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

    /// <summary>The EPCIS document of <paramref name="units"/>' histories, events in time order.</summary>
    public static JsonObject Document(IEnumerable<UnitRecord> units, DateTimeOffset created)
    {
        var events = units.SelectMany(u => u.History.Select(step => (Unit: u, Step: step)))
            .OrderBy(e => e.Step.Height).ThenBy(e => e.Step.Time)
            .Select(e => Event(e.Unit, e.Step)).ToList();
        var list = new JsonArray();
        foreach (var evt in events)
        {
            evt["eventID"] = EpcisEventHash.HashId(evt);
            list.Add(evt);
        }
        return new JsonObject
        {
            ["@context"] = new JsonArray(Context),
            ["type"] = "EPCISDocument",
            ["schemaVersion"] = "2.0",
            ["creationDate"] = created.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["epcisBody"] = new JsonObject { ["eventList"] = list },
        };
    }

    private static JsonObject Event(UnitRecord unit, UnitEvent step)
    {
        var epc = EpcIdentifiers.UnitLink(unit.Gtin, unit.Serial);
        var (type, action, bizStep, disposition) = step.Step switch
        {
            "commissioning" => ("ObjectEvent", "ADD", "commissioning", "active"),
            "packing" => ("AggregationEvent", "ADD", "packing", "in_progress"),
            "unpacking" => ("AggregationEvent", "DELETE", "unpacking", "in_progress"),
            "shipping" => ("ObjectEvent", "OBSERVE", "shipping", "in_transit"),
            "receiving" => ("ObjectEvent", "OBSERVE", "receiving", "in_progress"),
            "receiving_return" => ("ObjectEvent", "OBSERVE", "receiving", "returned"),
            "dispensing" => ("ObjectEvent", "DELETE", "dispensing", "dispensed"),
            "quarantine" => ("ObjectEvent", "OBSERVE", "holding", "non_sellable_other"),
            "clear" => ("ObjectEvent", "OBSERVE", "holding", "sellable_accessible"),
            "decommission" => ("ObjectEvent", "DELETE", "decommissioning", "inactive"),
            "destroy" => ("ObjectEvent", "DELETE", "destroying", "destroyed"),
            _ => ("ObjectEvent", "OBSERVE", "inspecting", "active"),
        };
        var evt = new JsonObject
        {
            ["type"] = type,
            ["eventTime"] = DateTimeOffset.FromUnixTimeMilliseconds(step.Time).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["eventTimeZoneOffset"] = "+00:00",
        };
        if (type == "AggregationEvent")
        {
            evt["parentID"] = EpcIdentifiers.SsccLink(step.Detail!);
            evt["childEPCs"] = new JsonArray(epc);
        }
        else
        {
            evt["epcList"] = new JsonArray(epc);
        }
        evt["action"] = action;
        evt["bizStep"] = bizStep;
        evt["disposition"] = disposition;
        evt["readPoint"] = new JsonObject { ["id"] = OrganisationUri(step.Organisation) };
        if (step.Step is "shipping" or "receiving" or "receiving_return")
        {
            // The despatch advice is the ledger's shipment: the transaction that shipped (or received) the unit.
            evt["bizTransactionList"] = new JsonArray(new JsonObject { ["type"] = "desadv", ["bizTransaction"] = $"urn:careledger:tx:{step.Transaction}" });
        }
        if (step.Step is "shipping" && step.Detail is { } to)
        {
            evt["sourceList"] = new JsonArray(new JsonObject { ["type"] = "owning_party", ["source"] = OrganisationUri(step.Organisation) });
            evt["destinationList"] = new JsonArray(new JsonObject { ["type"] = "owning_party", ["destination"] = OrganisationUri(to) });
        }
        if (step.Step == "commissioning")
        {
            evt["ilmd"] = new JsonObject { ["cbvmda:lotNumber"] = unit.Lot, ["cbvmda:itemExpirationDate"] = unit.Expiry };
        }
        return evt;
    }

    private static string OrganisationUri(string organisation) => $"urn:careledger:{organisation}";
}
