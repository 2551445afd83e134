using System.Text.Json;

namespace CareLedger.Node.Records;

/// <summary>
/// The FHIR search parameters the gatekeeper supports besides <c>patient</c> and <c>purpose</c>: <c>code</c> (a token: <c>code</c>
/// or <c>system|code</c>, comma-separated alternatives, matched against the resource's <c>code.coding</c>) and <c>_count</c>
/// (1-1000 entries). Any other parameter is refused (<c>fhir.unsupported_parameter</c>) rather than ignored, so a filter is never
/// silently dropped.
/// </summary>
public sealed record FhirSearch(IReadOnlyList<(string? System, string Code)>? Codes, int? Count)
{
    public static readonly FhirSearch All = new(null, null);

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "patient", "purpose", "code", "_count", "_format" };

    /// <summary>Reads the query; an unsupported parameter or a bad value is the refusal's sentence.</summary>
    public static (FhirSearch? Search, string? Refusal) From(IQueryCollection query)
    {
        if (query.Keys.FirstOrDefault(k => !Known.Contains(k)) is { } unsupported)
        {
            return (null, $"Search parameter '{unsupported}' is not supported here (patient, purpose, code, _count).");
        }
        int? count = null;
        if (query.TryGetValue("_count", out var countText))
        {
            if (!int.TryParse(countText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n is < 1 or > 1000)
            {
                return (null, "_count is a whole number from 1 to 1000.");
            }
            count = n;
        }
        IReadOnlyList<(string?, string)>? codes = null;
        if (query.TryGetValue("code", out var codeText))
        {
            codes = [.. codeText.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(token => token.Split('|', 2) is [var system, var code]
                ? (system.Length == 0 ? null : system, code)
                : ((string?)null, token))];
            if (codes.Count == 0 || codes.Any(c => c.Item2.Length == 0))
            {
                return (null, "code is a token: code or system|code, comma-separated.");
            }
        }
        return (new FhirSearch(codes, count), null);
    }

    /// <summary>Whether a stored FHIR JSON resource matches the code filter (always, without one).</summary>
    public bool Matches(byte[] resource)
    {
        if (Codes is null)
        {
            return true;
        }
        using var document = JsonDocument.Parse(resource);
        if (!document.RootElement.TryGetProperty("code", out var code) || !code.TryGetProperty("coding", out var codings) || codings.ValueKind != JsonValueKind.Array)
        {
            return false;
        }
        return codings.EnumerateArray().Any(coding =>
            coding.TryGetProperty("code", out var value) && Codes.Any(wanted => wanted.Code == value.GetString()
                && (wanted.System is null || (coding.TryGetProperty("system", out var system) && system.GetString() == wanted.System))));
    }
}
