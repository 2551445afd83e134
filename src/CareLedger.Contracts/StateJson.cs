using System.Text.Json;
using System.Text.Json.Serialization;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts;

/// <summary>
/// State values are UTF-8 JSON of the contracts' record types: properties in declaration order,
/// camelCase, integers only, so every node writes the same bytes.
/// </summary>
public static class StateJson
{
    /// <summary>The serializer options every contract uses.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
    };

    /// <summary>Serializes a record.</summary>
    public static byte[] Write<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <summary>Deserializes a record, or null for a missing value.</summary>
    public static T? Read<T>(byte[]? bytes) where T : class => bytes is null ? null : JsonSerializer.Deserialize<T>(bytes, Options);

    /// <summary>The ids listed at <paramref name="key"/> (an index such as a patient's prescriptions), oldest first; empty when absent.</summary>
    public static List<string> ReadIds(IStateReader state, string key) => Read<List<string>>(state.Get(key)) ?? [];

    /// <summary>Appends <paramref name="id"/> to the id list at <paramref name="key"/>.</summary>
    public static void AppendId(IContractState state, string key, string id)
    {
        var ids = ReadIds(state, key);
        ids.Add(id);
        state.Put(key, Write(ids));
    }
}
