using System.Globalization;
using System.Text.Json.Nodes;

namespace CareLedger.Contracts.SupplyChain.Epcis;

/// <summary>
/// Turns captured EPCIS 2.0 events into the ledger transactions they stand for, so that a capture is
/// checked exactly like a direct submission (the contracts decide), and each event's CBV 2.0 hash ID is
/// anchored with the notary. Supported business steps: commissioning (with ILMD lot and expiry), packing,
/// unpacking, shipping (destination <c>urn:careledger:org:…</c>), receiving (the shipment as business
/// transaction <c>urn:careledger:tx:…</c>), dispensing, decommissioning, destroying. A TransactionEvent (action ADD) ties
/// units to business transactions: as a change of ownership (bizStep shipping, or none) it ships them to its destination,
/// with the DSCSA transaction information and statement taken from its business transactions; with bizStep receiving it
/// receives them.
/// </summary>
public static class EpcisCapture
{
    /// <summary>A transaction to sign and submit: its type and arguments.</summary>
    public sealed record Step(string Type, JsonObject Args);

    /// <summary>One captured event: its hash ID and the transactions it becomes (the last anchors the hash).</summary>
    public sealed record CapturedEvent(string HashId, IReadOnlyList<Step> Steps);

    /// <summary>The events of an EPCIS document (or a JSON array of events), in document order.</summary>
    public static IReadOnlyList<CapturedEvent> Translate(JsonNode document) =>
        EpcisDocument.Events(document).Select(e =>
        {
            var hashId = EpcisEventHash.HashId(e);
            return new CapturedEvent(hashId, [.. Steps(e), Anchor(hashId)]);
        }).ToList();

    private static Step Anchor(string hashId) =>
        new("notary.anchor", new JsonObject { ["hash"] = hashId["ni:///sha-256;".Length..hashId.IndexOf('?', StringComparison.Ordinal)], ["documentType"] = "epcis-event" });

    private static IEnumerable<Step> Steps(JsonObject evt)
    {
        var type = (string?)(evt["type"] ?? evt["isA"]);
        if (type is "TransformationEvent" or "AssociationEvent")
        {
            throw new EpcisException("epcis.unsupported_step", $"A {type} is hashed (epcis hash) but not captured: this node's supply contract has no transformation or association step.");
        }
        if (new[] { "quantityList", "childQuantityList" }.FirstOrDefault(evt.ContainsKey) is { } quantities)
        {
            throw new EpcisException("epcis.unsupported_step", $"{quantities} is hashed but not captured: this node tracks serialised units, not quantities of a class.");
        }
        if (evt.ContainsKey("persistentDisposition"))
        {
            throw new EpcisException("epcis.unsupported_step", "persistentDisposition is hashed but not captured: unit status here follows commission, ship, receive, recall and dispense.");
        }
        if (type == "TransactionEvent")
        {
            return TransactionEventSteps(evt);
        }
        var bizStep = Code((string?)evt["bizStep"], "urn:epcglobal:cbv:bizstep:", "BizStep-");
        return StepsFor(bizStep, evt, Units(evt["epcList"] ?? evt["childEPCs"]));
    }

    private static IEnumerable<Step> TransactionEventSteps(JsonObject evt)
    {
        if ((string?)evt["action"] != "ADD")
        {
            throw new EpcisException("epcis.unsupported_step", "Only a TransactionEvent with action ADD (units joining a business transaction) is captured.");
        }
        var transactions = (evt["bizTransactionList"] as JsonArray)?.Select(b => (string?)b?["bizTransaction"]).OfType<string>().ToList();
        if (transactions is not { Count: > 0 })
        {
            throw new EpcisException("epcis.bad_event", "A TransactionEvent names its business transactions (bizTransactionList).");
        }
        var bizStep = evt["bizStep"] is null ? "shipping" : Code((string?)evt["bizStep"], "urn:epcglobal:cbv:bizstep:", "BizStep-");
        if (bizStep is not ("shipping" or "receiving"))
        {
            throw new EpcisException("epcis.unsupported_step", $"A TransactionEvent is captured as shipping or receiving, not {bizStep}.");
        }
        return StepsFor(bizStep, evt, Units(evt["epcList"]));
    }

    private static IEnumerable<Step> StepsFor(string bizStep, JsonObject evt, List<(string Gtin, string Serial)> units)
    {
        switch (bizStep)
        {
            case "commissioning":
                var lot = (string?)evt["ilmd"]?["cbvmda:lotNumber"] ?? throw new EpcisException("epcis.bad_event", "Commissioning needs ilmd cbvmda:lotNumber.");
                var expiry = DateOnly.ParseExact((string?)evt["ilmd"]?["cbvmda:itemExpirationDate"] ?? throw new EpcisException("epcis.bad_event",
                    "Commissioning needs ilmd cbvmda:itemExpirationDate."), "yyyy-MM-dd", CultureInfo.InvariantCulture);
                foreach (var group in units.GroupBy(u => u.Gtin))
                {
                    yield return new("supply.commission", new JsonObject
                    {
                        ["gtin"] = group.Key,
                        ["lot"] = lot,
                        ["expiry"] = expiry.ToString("yyMMdd", CultureInfo.InvariantCulture),
                        ["serials"] = new JsonArray([.. group.Select(u => (JsonNode)u.Serial)]),
                    });
                }
                break;
            case "packing" or "unpacking":
                var sscc = Sscc((string?)evt["parentID"] ?? throw new EpcisException("epcis.bad_event", $"{bizStep} needs a parentID (SSCC)."));
                yield return bizStep == "packing"
                    ? new("supply.aggregate", new JsonObject { ["sscc"] = sscc, ["units"] = References(units) })
                    : new("supply.disaggregate", new JsonObject { ["sscc"] = sscc });
                break;
            case "shipping":
                var to = Party(evt["destinationList"], "destination") ?? throw new EpcisException("epcis.bad_event", "Shipping needs a destination urn:careledger:org:….");
                // DSCSA: the first business transaction (invoice, purchase order) carries the transaction information, a second one
                // (when given) the transaction statement.
                var references = (evt["bizTransactionList"] as JsonArray)?.Select(b => (string?)b?["bizTransaction"]).OfType<string>().ToList() ?? [];
                yield return new("supply.ship", new JsonObject
                {
                    ["to"] = to,
                    ["units"] = References(units),
                    ["transactionInformation"] = Truncate(references.FirstOrDefault() ?? "EPCIS capture"),
                    ["transactionStatement"] = Truncate(references.Skip(1).FirstOrDefault() ?? references.FirstOrDefault() ?? "EPCIS capture"),
                });
                break;
            case "receiving":
                var shipment = (evt["bizTransactionList"] as JsonArray)?.Select(b => (string?)b?["bizTransaction"])
                    .FirstOrDefault(b => b?.StartsWith("urn:careledger:tx:", StringComparison.Ordinal) == true)
                    ?? throw new EpcisException("epcis.bad_event", "Receiving needs the shipment as business transaction urn:careledger:tx:….");
                yield return new("supply.receive", new JsonObject { ["shipment"] = shipment["urn:careledger:tx:".Length..], ["units"] = References(units) });
                break;
            case "dispensing" or "decommissioning" or "destroying":
                var type = bizStep switch { "dispensing" => "supply.dispense", "decommissioning" => "supply.decommission", _ => "supply.destroy" };
                foreach (var unit in units)
                {
                    yield return new(type, new JsonObject { ["gtin"] = unit.Gtin, ["serial"] = unit.Serial });
                }
                break;
            default:
                throw new EpcisException("epcis.unsupported_step", $"Business step '{bizStep}' is not captured by this node.");
        }
    }

    private static List<(string Gtin, string Serial)> Units(JsonNode? list)
    {
        var units = (list as JsonArray)?.Select(e => EpcIdentifiers.Unit((string?)e ?? "")
            ?? throw new EpcisException("epcis.bad_epc", $"'{e}' is not a serialized unit (sgtin or /01/…/21/…).")).ToList();
        return units is { Count: > 0 } ? units : throw new EpcisException("epcis.bad_event", "An event needs at least one unit.");
    }

    private static JsonArray References(IEnumerable<(string Gtin, string Serial)> units) =>
        new([.. units.Select(u => (JsonNode)SupplyKeys.Ref(u.Gtin, u.Serial))]);

    private static string Sscc(string id)
    {
        var link = EpcIdentifiers.Normalise(id);
        const string prefix = "https://id.gs1.org/00/";
        return link.StartsWith(prefix, StringComparison.Ordinal) ? link[prefix.Length..] : throw new EpcisException("epcis.bad_epc", $"'{id}' is not an SSCC.");
    }

    private static string? Party(JsonNode? list, string field) =>
        (list as JsonArray)?.Select(e => (string?)e?[field]).FirstOrDefault(p => p?.StartsWith("urn:careledger:org:", StringComparison.Ordinal) == true)
            ?["urn:careledger:".Length..];

    private static string Code(string? value, string urn, string prefix) => value switch
    {
        null => throw new EpcisException("epcis.bad_event", "An event needs its bizStep."),
        _ when value.StartsWith(urn, StringComparison.Ordinal) => value[urn.Length..],
        _ when value.StartsWith("https://ref.gs1.org/cbv/" + prefix, StringComparison.Ordinal) => value[("https://ref.gs1.org/cbv/" + prefix).Length..],
        _ => value,
    };

    private static string Truncate(string text) => text.Length <= 128 ? text : text[..128];
}
