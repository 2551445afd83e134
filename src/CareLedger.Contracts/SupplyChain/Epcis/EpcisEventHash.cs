using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CareLedger.Contracts.SupplyChain.Epcis;

/// <summary>
/// The EPCIS event hash ID of GS1 CBV 2.0 §8.9 (<c>ni:///sha-256;…?ver=CBV2.0</c>): the event's fields in the standard's
/// order, each normalised (UTC event time rounded half-up to milliseconds, EPC URNs as canonical GS1 Digital Links, CBV values
/// as their Web URIs, numbers without trailing zeros, lists sorted), concatenated as <c>name=value</c>, then SHA-256. In
/// business transaction, source and destination entries the type comes first. ILMD names expand through the EPCIS 2.0
/// JSON-LD context (<c>cbvmda:</c> is <c>urn:epcglobal:cbv:mda:</c>).
/// <para>
/// All five event types are hashed, with their EPC and quantity lists, <c>transformationID</c> and
/// <c>persistentDisposition</c>. Sensor elements and user extension fields are refused (<c>epcis.unsupported_field</c>)
/// rather than hashed in a way other implementations might not reproduce.
/// </para>
/// </summary>
public static class EpcisEventHash
{
    private const string Cbv = "https://ref.gs1.org/cbv/";
    private const string CbvMda = "urn:epcglobal:cbv:mda:";

    private static readonly HashSet<string> EventTypes = new(StringComparer.Ordinal)
    {
        "ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent",
    };

    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "type", "isA", "eventID", "recordTime", "@context", "errorDeclaration", "certificationInfo" };

    private static readonly HashSet<string> Supported = new(StringComparer.Ordinal)
    {
        "eventTime", "eventTimeZoneOffset", "epcList", "parentID", "inputEPCList", "childEPCs", "quantityList", "childQuantityList",
        "inputQuantityList", "outputEPCList", "outputQuantityList", "action", "transformationID", "bizStep", "disposition",
        "persistentDisposition", "readPoint", "bizLocation", "bizTransactionList", "sourceList", "destinationList", "ilmd",
    };

    /// <summary>The hash ID of one event (a JSON-LD event object).</summary>
    public static string HashId(JsonObject evt) =>
        $"ni:///sha-256;{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(PreHash(evt))))}?ver=CBV2.0";

    /// <summary>The canonical pre-hash string.</summary>
    public static string PreHash(JsonObject evt)
    {
        var type = (string?)(evt["type"] ?? evt["isA"]) ?? throw new EpcisException("epcis.bad_event", "An event needs its type.");
        if (!EventTypes.Contains(type))
        {
            throw new EpcisException("epcis.unsupported_event", $"{type} is not an EPCIS 2.0 event type.");
        }
        if (evt.Select(p => p.Key).FirstOrDefault(k => !Ignored.Contains(k) && !Supported.Contains(k)) is { } unsupported)
        {
            throw new EpcisException("epcis.unsupported_field",
                $"Field '{unsupported}' is not hashed by this node (sensor elements and user extensions are not supported).");
        }
        var text = new StringBuilder();
        text.Append("eventType=").Append(type);
        text.Append("eventTime=").Append(EventTime(Required(evt, "eventTime")));
        text.Append("eventTimeZoneOffset=").Append(Required(evt, "eventTimeZoneOffset"));
        Epcs("epcList", evt["epcList"]);
        Value("parentID", Normalised((string?)evt["parentID"]));
        Epcs("inputEPCList", evt["inputEPCList"]);
        Epcs("childEPCs", evt["childEPCs"]);
        Quantities("quantityList", evt["quantityList"]);
        Quantities("childQuantityList", evt["childQuantityList"]);
        Quantities("inputQuantityList", evt["inputQuantityList"]);
        Epcs("outputEPCList", evt["outputEPCList"]);
        Quantities("outputQuantityList", evt["outputQuantityList"]);
        Value("action", ((string?)evt["action"])?.Trim());
        Value("transformationID", Normalised((string?)evt["transformationID"]));
        Value("bizStep", Vocabulary((string?)evt["bizStep"], "BizStep-", "urn:epcglobal:cbv:bizstep:"));
        Value("disposition", Vocabulary((string?)evt["disposition"], "Disp-", "urn:epcglobal:cbv:disp:"));
        PersistentDisposition(evt["persistentDisposition"]);
        Location("readPoint", evt["readPoint"]);
        Location("bizLocation", evt["bizLocation"]);
        Typed("bizTransactionList", "bizTransaction", "BTT-", "urn:epcglobal:cbv:btt:", evt["bizTransactionList"], normalise: false);
        Typed("sourceList", "source", "SDT-", "urn:epcglobal:cbv:sdt:", evt["sourceList"], normalise: true);
        Typed("destinationList", "destination", "SDT-", "urn:epcglobal:cbv:sdt:", evt["destinationList"], normalise: true);
        if (evt["ilmd"] is JsonObject ilmd)
        {
            text.Append("ilmd");
            foreach (var item in ilmd.Select(p => $"{Expand(p.Key)}={Scalar(p.Value, $"ilmd {p.Key}")}").Order(StringComparer.Ordinal))
            {
                text.Append(item);
            }
        }
        return text.ToString();

        void Value(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                text.Append(name).Append('=').Append(value);
            }
        }

        void Sorted(string name, IEnumerable<string> entries)
        {
            var list = entries.Order(StringComparer.Ordinal).ToList();
            if (list.Count > 0)
            {
                text.Append(name);
                list.ForEach(e => text.Append(e));
            }
        }

        void Epcs(string name, JsonNode? list) =>
            Sorted(name, Array(list, name).Select(e => "epc=" + EpcIdentifiers.Normalise((string?)e ?? throw new EpcisException("epcis.bad_event", $"{name} holds EPCs."))));

        // quantityElement, then its epcClass, quantity and uom (CBV 2.0 §8.9's order for the element's children).
        void Quantities(string name, JsonNode? list) =>
            Sorted(name, Array(list, name).Select(e =>
            {
                var element = e as JsonObject ?? throw new EpcisException("epcis.bad_event", $"Each {name} entry is an object.");
                var epcClass = (string?)element["epcClass"] ?? throw new EpcisException("epcis.bad_event", $"A {name} entry needs its epcClass.");
                var entry = "quantityElementepcClass=" + EpcIdentifiers.Normalise(epcClass);
                if (element["quantity"] is { } quantity)
                {
                    entry += "quantity=" + Number(quantity, "quantity");
                }
                return element["uom"] is { } uom ? entry + "uom=" + ((string?)uom)?.Trim() : entry;
            }));

        void PersistentDisposition(JsonNode? node)
        {
            if (node is null)
            {
                return;
            }
            var disposition = node as JsonObject ?? throw new EpcisException("epcis.bad_event", "persistentDisposition is an object with set and unset lists.");
            string Entry(string kind, JsonNode? d) => $"{kind}={Vocabulary((string?)d, "Disp-", "urn:epcglobal:cbv:disp:")}";
            var set = Array(disposition["set"], "persistentDisposition.set").Select(d => Entry("set", d)).Order(StringComparer.Ordinal);
            var unset = Array(disposition["unset"], "persistentDisposition.unset").Select(d => Entry("unset", d)).Order(StringComparer.Ordinal);
            var entries = set.Concat(unset).ToList();
            if (entries.Count > 0)
            {
                text.Append("persistentDisposition");
                entries.ForEach(e => text.Append(e));
            }
        }

        void Location(string name, JsonNode? location)
        {
            if (location is JsonObject { } obj && (string?)obj["id"] is { } id)
            {
                text.Append(name).Append("id=").Append(EpcIdentifiers.Normalise(id));
            }
        }

        // Each entry as type, then value: CBV 2.0 §8.9 puts the type attribute first.
        void Typed(string name, string item, string prefix, string urn, JsonNode? list, bool normalise) =>
            Sorted(name, Array(list, name).Select(e =>
            {
                var value = (string?)e![item] ?? throw new EpcisException("epcis.bad_event", $"A {name} entry needs '{item}'.");
                var entry = $"{item}={(normalise ? EpcIdentifiers.Normalise(value) : value.Trim())}";
                return (string?)e["type"] is { } t ? "type=" + Vocabulary(t, prefix, urn) + entry : entry;
            }));
    }

    private static IEnumerable<JsonNode?> Array(JsonNode? list, string name) => list switch
    {
        null => [],
        JsonArray array => array,
        _ => throw new EpcisException("epcis.bad_event", $"{name} is a list."),
    };

    private static string? Normalised(string? id) => id is null ? null : EpcIdentifiers.Normalise(id);

    // A value in the pre-hash: text trimmed, a number in its exact shortest decimal form, a boolean as true or false.
    private static string Scalar(JsonNode? node, string what) => node?.GetValueKind() switch
    {
        JsonValueKind.String => node.GetValue<string>().Trim(),
        JsonValueKind.Number => Number(node, what),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new EpcisException("epcis.unsupported_field", $"{what} is not a text, number or boolean (nested user extensions are not supported)."),
    };

    /// <summary>
    /// A number as CBV 2.0 hashes it: exact decimal, no exponent, no leading '+' or zeros, no trailing zeros (600.0 is 600,
    /// 2.50 is 2.5). Read from the JSON text itself, never through a binary float.
    /// </summary>
    public static string Number(JsonNode node, string what)
    {
        var raw = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>().Trim() : node.ToJsonString();
        if (!decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new EpcisException("epcis.bad_event", $"{what} '{raw}' is not a decimal number.");
        }
        return value.ToString("0.############################", CultureInfo.InvariantCulture);
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

    // A compact name through the EPCIS 2.0 JSON-LD context: cbvmda: is urn:epcglobal:cbv:mda:.
    private static string Expand(string key) => key.StartsWith("cbvmda:", StringComparison.Ordinal) ? CbvMda + key["cbvmda:".Length..] : key;

    private static string Required(JsonObject evt, string name) =>
        (string?)evt[name] ?? throw new EpcisException("epcis.bad_event", $"An event needs '{name}'.");
}
