using System.Globalization;
using CareLedger.Contracts.Trials;
using Hl7.Fhir.Model;

namespace CareLedger.Node.Research;

/// <summary>
/// Does a patient meet a trial's eligibility criteria, judged from their own FHIR resources (Patient, Condition, MedicationRequest,
/// MedicationStatement, Observation)? Runs inside the custodian's node; nothing of it leaves except a count.
/// </summary>
public static class TrialScreening
{
    /// <summary>True when every criterion holds on <paramref name="today"/>. Missing data fails the criterion it is needed for.</summary>
    public static bool Meets(EligibilityCriteria criteria, IReadOnlyList<Resource> resources, DateOnly today)
    {
        var patient = resources.OfType<Patient>().FirstOrDefault();
        if (criteria.MinAge is not null || criteria.MaxAge is not null)
        {
            if (AgeOn(patient, today) is not { } age || age < (criteria.MinAge ?? 0) || age > (criteria.MaxAge ?? int.MaxValue))
            {
                return false;
            }
        }
        if (criteria.Sex is not null && patient?.Gender?.ToString().ToLowerInvariant() != criteria.Sex)
        {
            return false;
        }
        var conditions = resources.OfType<Condition>().Where(IsActive).SelectMany(c => Codes(c.Code)).ToList();
        if (criteria.Conditions.Count > 0 && !criteria.Conditions.Any(wanted => conditions.Any(code => Covers(wanted, code))))
        {
            return false;
        }
        if (criteria.ExcludedConditions.Any(excluded => conditions.Any(code => Covers(excluded, code))))
        {
            return false;
        }
        var medications = resources.OfType<MedicationRequest>().Where(m => m.Status == MedicationRequest.MedicationrequestStatus.Active)
            .SelectMany(m => Codes(m.Medication as CodeableConcept))
            .Concat(resources.OfType<MedicationStatement>().Where(m => m.Status == MedicationStatement.MedicationStatusCodes.Active)
                .SelectMany(m => Codes(m.Medication as CodeableConcept)))
            .ToList();
        if (criteria.Medications.Count > 0 && !criteria.Medications.Any(wanted => medications.Any(code => Covers(wanted, code))))
        {
            return false;
        }
        var observations = resources.OfType<Observation>().Where(o => o.Status is ObservationStatus.Final or ObservationStatus.Amended or ObservationStatus.Corrected).ToList();
        return criteria.Labs.All(lab => Latest(observations, lab.Code) is { } value
            && (lab.Min is null || value >= Parse(lab.Min)) && (lab.Max is null || value <= Parse(lab.Max)));
    }

    /// <summary>Whole years between the birth date and <paramref name="today"/>, or null when the birth date is missing or partial.</summary>
    public static int? AgeOn(Patient? patient, DateOnly today)
    {
        if (patient?.BirthDate is not { Length: 10 } text || !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var born))
        {
            return null;
        }
        var age = today.Year - born.Year;
        return today < born.AddYears(age) ? age - 1 : age;
    }

    // A criterion code covers itself and its children in a hierarchical code system (E11 covers E11.9; A10B covers A10BA02).
    private static bool Covers(string criterion, string code) => code.StartsWith(criterion, StringComparison.OrdinalIgnoreCase);

    private static bool IsActive(Condition condition) =>
        condition.ClinicalStatus?.Coding.Any(c => c.Code is "resolved" or "inactive" or "remission") != true
        && condition.VerificationStatus?.Coding.Any(c => c.Code is "refuted" or "entered-in-error") != true;

    private static IEnumerable<string> Codes(CodeableConcept? concept) => concept?.Coding.Select(c => c.Code).OfType<string>() ?? [];

    // The value of the most recent observation carrying the code (by effective time, then issue time).
    private static decimal? Latest(IEnumerable<Observation> observations, string code) => observations
        .Where(o => Codes(o.Code).Contains(code, StringComparer.OrdinalIgnoreCase) && o.Value is Quantity { Value: not null })
        .OrderByDescending(o => (o.Effective as FhirDateTime)?.ToDateTimeOffset(TimeSpan.Zero) ?? o.Issued ?? DateTimeOffset.MinValue)
        .Select(o => ((Quantity)o.Value!).Value)
        .FirstOrDefault();

    private static decimal Parse(string value) => decimal.Parse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}
