using System.Formats.Cbor;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CareLedger.Core.Encoding;

/// <summary>
/// The arguments of a transaction: a CBOR map with text keys whose values are text, integers,
/// booleans, null, arrays and maps (no floating point, no byte strings: binary values travel as
/// lowercase hex text). The same model maps one-to-one onto JSON, so the CLI and the API can show it.
/// </summary>
public sealed class TransactionArgs
{
    // Built on first use: admission and storage only need the bytes, and most transactions are
    // never read as JSON by anyone but their contract.
    private readonly Lazy<JsonObject> _values;

    // Nested maps (GetObject, GetObjectArray) are views over their parent's decoded values: encoded only if asked.
    private readonly Lazy<byte[]> _encoded;

    private TransactionArgs(byte[] encoded)
    {
        _encoded = new Lazy<byte[]>(encoded);
        _values = new Lazy<JsonObject>(() => (JsonObject)Read(CanonicalCbor.CreateReader(encoded), depth: 0)!);
    }

    private TransactionArgs(JsonObject values)
    {
        _values = new Lazy<JsonObject>(values);
        _encoded = new Lazy<byte[]>(() => Encode(values));
    }

    /// <summary>The canonical CBOR encoding of the map.</summary>
    public ReadOnlyMemory<byte> Encoded => _encoded.Value;

    /// <summary>An empty argument map.</summary>
    public static TransactionArgs Empty { get; } = FromJson(new JsonObject());

    /// <summary>Builds arguments from a JSON object. Throws <see cref="FormatException"/> for floats or non-objects.</summary>
    public static TransactionArgs FromJson(JsonNode? json)
    {
        if (json is not JsonObject obj)
        {
            throw new FormatException("Transaction arguments must be a JSON object.");
        }
        return new TransactionArgs(Encode(obj));
    }

    private static byte[] Encode(JsonObject values)
    {
        var writer = CanonicalCbor.CreateWriter();
        Write(writer, values);
        return writer.Encode();
    }

    /// <summary>Builds arguments from a JSON text.</summary>
    public static TransactionArgs FromJson(string json)
    {
        try
        {
            return FromJson(JsonNode.Parse(json));
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Transaction arguments are not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Parses canonical CBOR. Throws <see cref="CborContentException"/> or <see cref="FormatException"/> for anything else.</summary>
    public static TransactionArgs Parse(ReadOnlyMemory<byte> encoded)
    {
        var reader = CanonicalCbor.CreateReader(encoded);
        var args = ReadFrom(reader, encoded);
        CanonicalCbor.EnsureFullyConsumed(reader);
        return args;
    }

    /// <summary>
    /// Reads the argument map at <paramref name="reader"/>'s position inside <paramref name="source"/> (the data the
    /// reader was made over), validating it in the same pass instead of skipping it first and parsing it again.
    /// </summary>
    internal static TransactionArgs ReadFrom(CborReader reader, ReadOnlyMemory<byte> source)
    {
        if (reader.PeekState() != CborReaderState.StartMap)
        {
            throw new FormatException("Transaction arguments must be a map.");
        }
        var start = source.Length - reader.BytesRemaining;
        Validate(reader, depth: 0);
        return new TransactionArgs(source[start..(source.Length - reader.BytesRemaining)].ToArray());
    }

    /// <summary>The arguments as JSON.</summary>
    public JsonObject ToJson() => (JsonObject)_values.Value.DeepClone();

    /// <summary>True when the key is present.</summary>
    public bool Has(string key) => _values.Value.ContainsKey(key);

    /// <summary>A required text value.</summary>
    public string GetString(string key) =>
        _values.Value[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Missing(key, "text");

    /// <summary>An optional text value.</summary>
    public string? GetOptionalString(string key) => Has(key) && _values.Value[key] is not null ? GetString(key) : null;

    /// <summary>A required integer value.</summary>
    public long GetInt64(string key) =>
        _values.Value[key] is JsonValue v && v.TryGetValue<long>(out var n) ? n : throw Missing(key, "integer");

    /// <summary>A required boolean.</summary>
    public bool GetBoolean(string key) =>
        _values.Value[key] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : throw Missing(key, "boolean");

    /// <summary>A required array of text values.</summary>
    public IReadOnlyList<string> GetStringArray(string key)
    {
        if (_values.Value[key] is not JsonArray array)
        {
            throw Missing(key, "array of text");
        }
        return array.Select(item => item is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Missing(key, "array of text")).ToList();
    }

    /// <summary>An optional integer, or <paramref name="fallback"/> when absent or null.</summary>
    public long GetInt64OrDefault(string key, long fallback) => Has(key) && _values.Value[key] is not null ? GetInt64(key) : fallback;

    /// <summary>An optional array of text values: empty when absent.</summary>
    public IReadOnlyList<string> GetStringArrayOrEmpty(string key) => Has(key) && _values.Value[key] is not null ? GetStringArray(key) : [];

    /// <summary>A required nested map.</summary>
    public TransactionArgs GetObject(string key) =>
        _values.Value[key] is JsonObject o ? new TransactionArgs(o) : throw Missing(key, "a map");

    /// <summary>A required array of nested maps.</summary>
    public IReadOnlyList<TransactionArgs> GetObjectArray(string key) =>
        _values.Value[key] is JsonArray array
            ? array.Select(item => item is JsonObject o ? new TransactionArgs(o) : throw Missing(key, "an array of maps")).ToList()
            : throw Missing(key, "an array of maps");

    private static FormatException Missing(string key, string kind) => new($"Argument '{key}' must be {kind}.");

    private const int MaxDepth = 16;

    private static void Write(CborWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNull();
                break;
            case JsonObject obj:
                writer.WriteStartMap(obj.Count);
                foreach (var (key, value) in obj)
                {
                    writer.WriteTextString(key);
                    Write(writer, value);
                }
                writer.WriteEndMap();
                break;
            case JsonArray array:
                writer.WriteStartArray(array.Count);
                foreach (var item in array)
                {
                    Write(writer, item);
                }
                writer.WriteEndArray();
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        writer.WriteTextString(value.GetValue<string>());
                        break;
                    case JsonValueKind.True:
                    case JsonValueKind.False:
                        writer.WriteBoolean(value.GetValue<bool>());
                        break;
                    case JsonValueKind.Number when value.TryGetValue<long>(out var n):
                        writer.WriteInt64(n);
                        break;
                    case JsonValueKind.Number:
                        throw new FormatException("Arguments carry integers only: amounts are minor units, times are Unix milliseconds.");
                    default:
                        throw new FormatException($"Unsupported JSON value kind {value.GetValueKind()}.");
                }
                break;
        }
    }

    // The same grammar as Read, without building anything: the admission-time check.
    private static void Validate(CborReader reader, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException($"Arguments nest deeper than {MaxDepth} levels.");
        }
        switch (reader.PeekState())
        {
            case CborReaderState.StartMap:
                var count = reader.ReadStartMap() ?? throw new FormatException("Indefinite-length maps are not canonical.");
                for (var i = 0; i < count; i++)
                {
                    if (reader.PeekState() != CborReaderState.TextString)
                    {
                        throw new FormatException("Argument keys must be text.");
                    }
                    reader.ReadTextString();
                    Validate(reader, depth + 1);
                }
                reader.ReadEndMap();
                break;
            case CborReaderState.StartArray:
                var length = reader.ReadStartArray() ?? throw new FormatException("Indefinite-length arrays are not canonical.");
                for (var i = 0; i < length; i++)
                {
                    Validate(reader, depth + 1);
                }
                reader.ReadEndArray();
                break;
            case CborReaderState.TextString:
                reader.ReadTextString();
                break;
            case CborReaderState.UnsignedInteger:
            case CborReaderState.NegativeInteger:
                reader.ReadInt64();
                break;
            case CborReaderState.Boolean:
                reader.ReadBoolean();
                break;
            case CborReaderState.Null:
                reader.ReadNull();
                break;
            default:
                throw new FormatException($"Unsupported CBOR item in arguments: {reader.PeekState()}.");
        }
    }

    private static JsonNode? Read(CborReader reader, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException($"Arguments nest deeper than {MaxDepth} levels.");
        }
        switch (reader.PeekState())
        {
            case CborReaderState.StartMap:
                var count = reader.ReadStartMap() ?? throw new FormatException("Indefinite-length maps are not canonical.");
                var obj = new JsonObject();
                for (var i = 0; i < count; i++)
                {
                    if (reader.PeekState() != CborReaderState.TextString)
                    {
                        throw new FormatException("Argument keys must be text.");
                    }
                    var key = reader.ReadTextString();
                    obj[key] = Read(reader, depth + 1);
                }
                reader.ReadEndMap();
                return obj;
            case CborReaderState.StartArray:
                var length = reader.ReadStartArray() ?? throw new FormatException("Indefinite-length arrays are not canonical.");
                var array = new JsonArray();
                for (var i = 0; i < length; i++)
                {
                    array.Add(Read(reader, depth + 1));
                }
                reader.ReadEndArray();
                return array;
            case CborReaderState.TextString:
                return JsonValue.Create(reader.ReadTextString());
            case CborReaderState.UnsignedInteger:
            case CborReaderState.NegativeInteger:
                return JsonValue.Create(reader.ReadInt64());
            case CborReaderState.Boolean:
                return JsonValue.Create(reader.ReadBoolean());
            case CborReaderState.Null:
                reader.ReadNull();
                return null;
            default:
                throw new FormatException($"Unsupported CBOR item in arguments: {reader.PeekState()}.");
        }
    }
}
