using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace CareLedger.Contracts.SupplyChain.Epcis;

/// <summary>
/// The EPCIS event hash ID of GS1 CBV 2.0 (<c>ni:///sha-256;…?ver=CBV2.0</c>): the event's fields in the
/// standard's order, each normalised (UTC event time with milliseconds, EPC URNs as canonical GS1 Digital
/// Links, CBV values as their Web URIs, lists sorted), concatenated as <c>name=value</c>, then SHA-256.
/// Checked against the GS1 reference implementation's published example. Fields outside the set below
/// (quantities, sensor data, user extensions, …) are refused rather than hashed differently.
/// </summary>
public static class EpcisEventHash
{
    private const string Cbv = "https://ref.gs1.org/cbv/";
    private const string CbvMda = "https://ref.gs1.org/cbv/cbvmda#";

    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "type", "isA", "eventID", "recordTime", "@context", "errorDeclaration" };

    private static readonly HashSet<string> Supported = new(StringComparer.Ordinal)
    {
        "eventTime", "eventTimeZoneOffset", "epcList", "parentID", "childEPCs", "action", "bizStep", "disposition", "readPoint", "bizLocation",
        "bizTransactionList", "sourceList", "destinationList", "ilmd",
    };

    /// <summary>The hash ID of one event (a JSON-LD event object).</summary>
    public static string HashId(JsonObject evt) =>
        $"ni:///sha-256;{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(PreHash(evt))))}?ver=CBV2.0";

    /// <summary>The canonical pre-hash string.</summary>
    public static string PreHash(JsonObject evt)
    {
        var type = (string?)(evt["type"] ?? evt["isA"]) ?? throw new EpcisException("epcis.bad_event", "An event needs its type.");
        if (type is not ("ObjectEvent" or "AggregationEvent" or "TransactionEvent"))
        {
            throw new EpcisException("epcis.unsupported_event", $"{type} is not supported here (ObjectEvent, AggregationEvent, TransactionEvent).");
        }
        if (evt.Select(p => p.Key).FirstOrDefault(k => !Ignored.Contains(k) && !Supported.Contains(k)) is { } unsupported)
        {
            throw new EpcisException("epcis.unsupported_field", $"Field '{unsupported}' is not supported by this node's event hash.");
        }
        var text = new StringBuilder();
        text.Append("eventType=").Append(type);
        text.Append("eventTime=").Append(EventTime(Required(evt, "eventTime")));
        text.Append("eventTimeZoneOffset=").Append(Required(evt, "eventTimeZoneOffset"));
        List("epcList", "epc", evt["epcList"]);
        if ((string?)evt["parentID"] is { } parent)
        {
            text.Append("parentID=").Append(EpcIdentifiers.Normalise(parent));
        }
        List("childEPCs", "epc", evt["childEPCs"]);
        Value("action", (string?)evt["action"]);
        Value("bizStep", Vocabulary((string?)evt["bizStep"], "BizStep-", "urn:epcglobal:cbv:bizstep:"));
        Value("disposition", Vocabulary((string?)evt["disposition"], "Disp-", "urn:epcglobal:cbv:disp:"));
        Location("readPoint", evt["readPoint"]);
        Location("bizLocation", evt["bizLocation"]);
        Typed("bizTransactionList", "bizTransaction", "BTT-", "urn:epcglobal:cbv:btt:", evt["bizTransactionList"], normalise: false);
        Typed("sourceList", "source", "SDT-", "urn:epcglobal:cbv:sdt:", evt["sourceList"], normalise: true);
        Typed("destinationList", "destination", "SDT-", "urn:epcglobal:cbv:sdt:", evt["destinationList"], normalise: true);
        if (evt["ilmd"] is JsonObject ilmd)
        {
            text.Append("ilmd");
            foreach (var item in ilmd.Select(p => $"{Expand(p.Key)}={(string?)p.Value}").Order(StringComparer.Ordinal))
            {
                text.Append(item);
            }
        }
        return text.ToString();

        void Value(string name, string? value)
        {
            if (value is not null)
            {
                text.Append(name).Append('=').Append(value.Trim());
            }
        }

        void List(string name, string item, JsonNode? list)
        {
            if (list is JsonArray { Count: > 0 } array)
            {
                text.Append(name);
                foreach (var epc in array.Select(e => EpcIdentifiers.Normalise((string)e!)).Order(StringComparer.Ordinal))
                {
                    text.Append(item).Append('=').Append(epc);
                }
            }
        }

        void Location(string name, JsonNode? location)
        {
            if (location is JsonObject { } obj && (string?)obj["id"] is { } id)
            {
                text.Append(name).Append("id=").Append(EpcIdentifiers.Normalise(id));
            }
        }

        void Typed(string name, string item, string prefix, string urn, JsonNode? list, bool normalise)
        {
            if (list is not JsonArray { Count: > 0 } array)
            {
                return;
            }
            text.Append(name);
            var entries = array.Select(e =>
            {
                var value = (string?)e![item] ?? throw new EpcisException("epcis.bad_event", $"A {name} entry needs '{item}'.");
                var entry = $"{item}={(normalise ? EpcIdentifiers.Normalise(value) : value.Trim())}";
                return (string?)e["type"] is { } t ? entry + "type=" + Vocabulary(t, prefix, urn) : entry;
            });
            foreach (var entry in entries.Order(StringComparer.Ordinal))
            {
                text.Append(entry);
            }
        }
    }

    /// <summary>Event time in UTC with exactly three decimals and 'Z'.</summary>
    public static string EventTime(string value)
    {
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            throw new EpcisException("epcis.bad_time", $"'{value}' is not an ISO 8601 date-time.");
        }
        var milliseconds = Math.Round(time.UtcTicks / (decimal)TimeSpan.TicksPerMillisecond, MidpointRounding.AwayFromZero);
        return new DateTimeOffset((long)milliseconds * TimeSpan.TicksPerMillisecond, TimeSpan.Zero)
            .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    // A bare CBV code ("shipping"), its 1.x URN or its Web URI, as the Web URI.
    private static string? Vocabulary(string? value, string prefix, string urn) => value?.Trim() switch
    {
        null => null,
        var v when v.StartsWith(urn, StringComparison.Ordinal) => Cbv + prefix + v[urn.Length..],
        var v when v.Contains(':', StringComparison.Ordinal) => v,
        var v => Cbv + prefix + v,
    };

    private static string Expand(string key) => key.StartsWith("cbvmda:", StringComparison.Ordinal) ? CbvMda + key["cbvmda:".Length..] : key;

    private static string Required(JsonObject evt, string name) =>
        (string?)evt[name] ?? throw new EpcisException("epcis.bad_event", $"An event needs '{name}'.");
}
