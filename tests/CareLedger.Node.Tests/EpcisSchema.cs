using System.Text.Json;
using Json.Schema;

namespace CareLedger.Node.Tests;

/// <summary>GS1's EPCIS 2.0 JSON schema (Data/epcis, see its README), for checking the node's exports.</summary>
internal static class EpcisSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "epcis", "EPCIS-JSON-Schema.json"))));

    /// <summary>The schema's errors for <paramref name="document"/>, empty when it validates.</summary>
    public static IReadOnlyList<string> Errors(JsonElement document)
    {
        var result = Schema.Value.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid ? [] : (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).DefaultIfEmpty("invalid").ToList();
    }
}
