using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace CareLedger.Vault;

/// <summary>
/// Parses and validates FHIR R4 JSON on its way into the vault (Firely SDK): unknown elements, wrong
/// types, invalid primitives and missing required elements are refused with a FHIR <c>OperationOutcome</c>
/// naming each problem, never stored.
/// </summary>
public static class FhirResourceReader
{
    private static readonly FhirJsonDeserializer Deserializer = new();

    /// <summary>The resource, or the outcome explaining why it is not valid FHIR R4.</summary>
    public static (Resource? Resource, OperationOutcome? Outcome) Read(string json)
    {
        try
        {
            var resource = Deserializer.DeserializeResource(json);
            return (resource, null);
        }
        catch (DeserializationFailedException ex)
        {
            var outcome = new OperationOutcome();
            foreach (var problem in ex.Exceptions.Take(50))
            {
                outcome.Issue.Add(new OperationOutcome.IssueComponent
                {
                    Severity = OperationOutcome.IssueSeverity.Error,
                    Code = OperationOutcome.IssueType.Structure,
                    Diagnostics = problem.Message,
                });
            }
            return (null, outcome);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return (null, Invalid($"Not a FHIR JSON resource: {ex.Message}"));
        }
    }

    /// <summary>An outcome with one error issue.</summary>
    public static OperationOutcome Invalid(string diagnostics) => new()
    {
        Issue = [new OperationOutcome.IssueComponent
        {
            Severity = OperationOutcome.IssueSeverity.Error,
            Code = OperationOutcome.IssueType.Invalid,
            Diagnostics = diagnostics,
        }],
    };

    /// <summary>Serialises a resource (or an outcome) as FHIR JSON.</summary>
    public static string ToJson(Resource resource) => new FhirJsonSerializer().SerializeToString(resource);
}
