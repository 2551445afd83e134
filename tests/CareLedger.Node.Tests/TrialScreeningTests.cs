using CareLedger.Contracts.Trials;
using CareLedger.Node.Research;
using Hl7.Fhir.Model;

namespace CareLedger.Node.Tests;

public sealed class TrialScreeningTests
{
    private static readonly DateOnly Today = new(2027, 1, 15);

    private static EligibilityCriteria Criteria(int? minAge = null, int? maxAge = null, string? sex = null, string[]? conditions = null,
        string[]? excluded = null, string[]? medications = null, LabThreshold[]? labs = null) =>
        new(minAge, maxAge, sex, conditions ?? [], excluded ?? [], medications ?? [], labs ?? []);

    private static Patient Born(string date, AdministrativeGender gender = AdministrativeGender.Female) => new() { BirthDate = date, Gender = gender };

    private static Condition Has(string code, string status = "active") => new()
    {
        Code = new CodeableConcept("http://hl7.org/fhir/sid/icd-10", code),
        ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", status),
    };

    private static Observation Lab(string code, decimal value, string date) => new()
    {
        Status = ObservationStatus.Final,
        Code = new CodeableConcept("http://loinc.org", code),
        Effective = new FhirDateTime(date),
        Value = new Quantity(value, "%"),
    };

    [Theory]
    [InlineData("1957-01-15", false)]
    [InlineData("1957-01-16", true)]
    [InlineData("2009-01-15", true)]
    [InlineData("2009-01-16", false)]
    [InlineData("1980", false)]
    public void Age_is_counted_in_whole_years_on_the_day_and_a_partial_birth_date_fails_an_age_criterion(string birthDate, bool eligible) =>
        Assert.Equal(eligible, TrialScreening.Meets(Criteria(minAge: 18, maxAge: 69), [Born(birthDate)], Today));

    [Fact]
    public void Conditions_match_their_children_resolved_ones_do_not_count_and_exclusions_win()
    {
        var criteria = Criteria(conditions: ["E11"], excluded: ["N18.5"]);
        Assert.True(TrialScreening.Meets(criteria, [Has("E11.65")], Today));
        Assert.False(TrialScreening.Meets(criteria, [Has("E11.65", "resolved")], Today));
        Assert.False(TrialScreening.Meets(criteria, [Has("E10.9")], Today));
        Assert.False(TrialScreening.Meets(criteria, [Has("E11.65"), Has("N18.5")], Today));
        Assert.False(TrialScreening.Meets(Criteria(sex: "male"), [Born("1970-01-01")], Today));
    }

    [Fact]
    public void Medications_must_be_active_and_labs_are_judged_on_the_latest_result()
    {
        var onMetformin = new MedicationRequest { Status = MedicationRequest.MedicationrequestStatus.Active, Medication = new CodeableConcept("http://www.whocc.no/atc", "A10BA02") };
        var stopped = new MedicationRequest { Status = MedicationRequest.MedicationrequestStatus.Stopped, Medication = new CodeableConcept("http://www.whocc.no/atc", "A10BA02") };
        Assert.True(TrialScreening.Meets(Criteria(medications: ["A10B"]), [onMetformin], Today));
        Assert.False(TrialScreening.Meets(Criteria(medications: ["A10B"]), [stopped], Today));

        var hba1c = Criteria(labs: [new LabThreshold("4548-4", "7.0", "10.5")]);
        Assert.True(TrialScreening.Meets(hba1c, [Lab("4548-4", 11.2m, "2026-06-01"), Lab("4548-4", 8.0m, "2026-12-01")], Today));
        Assert.False(TrialScreening.Meets(hba1c, [Lab("4548-4", 8.0m, "2026-06-01"), Lab("4548-4", 11.2m, "2026-12-01")], Today));
        Assert.False(TrialScreening.Meets(hba1c, [], Today));
    }
}
