using CareLedger.Vault;
using Hl7.Fhir.Model;

namespace CareLedger.Ledger.Tests.Vault;

public class FhirResourceReaderTests
{
    private const string Observation = """
        {"resourceType":"Observation","status":"final",
         "code":{"coding":[{"system":"http://loinc.org","code":"4548-4","display":"Hemoglobin A1c"}]},
         "subject":{"reference":"Patient/example"},
         "valueQuantity":{"value":6.1,"unit":"%","system":"http://unitsofmeasure.org","code":"%"}}
        """;

    [Fact]
    public void A_valid_R4_resource_is_read()
    {
        var (resource, outcome) = FhirResourceReader.Read(Observation);
        Assert.Null(outcome);
        var observation = Assert.IsType<Observation>(resource);
        Assert.Equal(ObservationStatus.Final, observation.Status);
        Assert.Contains("4548-4", FhirResourceReader.ToJson(observation));
    }

    [Theory]
    [InlineData("""{"resourceType":"Observation","status":"final","code":{"text":"x"},"unknownElement":1}""")]
    [InlineData("""{"resourceType":"Observation","status":42,"code":{"text":"x"}}""")]
    [InlineData("""{"resourceType":"Observation","status":"not-a-status","code":{"text":"x"}}""")]
    [InlineData("""{"resourceType":"NoSuchResource"}""")]
    [InlineData("""{"status":"final"}""")]
    [InlineData("""{"resourceType":"Observation",""")]
    [InlineData("""[1,2,3]""")]
    public void Invalid_input_gets_an_OperationOutcome_and_no_resource(string json)
    {
        var (resource, outcome) = FhirResourceReader.Read(json);
        Assert.Null(resource);
        Assert.NotNull(outcome);
        Assert.NotEmpty(outcome.Issue);
        Assert.All(outcome.Issue, i => Assert.Equal(OperationOutcome.IssueSeverity.Error, i.Severity));
        Assert.Contains("OperationOutcome", FhirResourceReader.ToJson(outcome));
    }
}
