using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CareLedger.Contracts;
using CareLedger.Contracts.Consent;
using CareLedger.Ledger.Execution;
using CareLedger.Vault;
using Hl7.Fhir.Model;

namespace CareLedger.Node.Records;

/// <summary>
/// What a research read releases: a de-identified copy, in the spirit of HIPAA's Safe Harbor (§164.514(b)(2)), unless the grant that
/// permitted it names that researcher individually for identifiable data. Direct identifiers (names, contact details, addresses,
/// identifiers, photos, contacts) and free text (narrative, notes, displays, comments) are removed at any depth, and every date is
/// generalised to its year.
/// </summary>
public static partial class ResearchDeidentification
{
    private static readonly HashSet<string> Removed = new(
        ["text", "name", "telecom", "address", "identifier", "photo", "contact", "note", "display", "comment", "comments", "description"], StringComparer.Ordinal);

    [GeneratedRegex(@"^(\d{4})(-\d{2}(-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?)?)?$")]
    private static partial Regex FhirDate();

    /// <summary>True when a read for <paramref name="purpose"/> permitted by <paramref name="decision"/> must be de-identified.</summary>
    public static bool Applies(IStateReader state, Caller caller, string purpose, AccessDecision decision) =>
        purpose == PurposeOfUse.Research
        && !(decision.GrantId is { } id && StateJson.Read<ConsentGrant>(state.Get(ConsentKeys.Grant(id)))?.Grantee is { Kind: "member" } grantee && grantee.Id == caller.Id);

    /// <summary>The de-identified copy of <paramref name="resource"/> (its id and version kept: they are the ledger's pseudonymous ids).</summary>
    public static Resource Apply(Resource resource)
    {
        var json = JsonNode.Parse(FhirResourceReader.ToJson(resource))!.AsObject();
        Scrub(json);
        var (clean, _) = FhirResourceReader.Read(json.ToJsonString());
        return clean ?? throw new InvalidOperationException("A de-identified resource no longer parses.");
    }

    private static void Scrub(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    if (Removed.Contains(key))
                    {
                        o.Remove(key);
                    }
                    else if (o[key] is JsonValue v && v.TryGetValue<string>(out var s) && FhirDate().Match(s) is { Success: true } m && s.Length > 4)
                    {
                        o[key] = m.Groups[1].Value;
                    }
                    else
                    {
                        Scrub(o[key]);
                        // FHIR allows no empty elements: a reference that held only a display goes altogether.
                        if (o[key] is JsonObject { Count: 0 } or JsonArray { Count: 0 })
                        {
                            o.Remove(key);
                        }
                    }
                }
                break;
            case JsonArray a:
                foreach (var item in a.ToList())
                {
                    Scrub(item);
                    if (item is JsonObject { Count: 0 })
                    {
                        a.Remove(item);
                    }
                }
                break;
        }
    }
}
