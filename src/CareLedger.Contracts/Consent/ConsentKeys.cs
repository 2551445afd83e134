namespace CareLedger.Contracts.Consent;

/// <summary>State keys of the consent contract. Per-patient lists keep a decision O(grants of that patient).</summary>
public static class ConsentKeys
{
    public static string Grant(string id) => $"consent/grant/{id}";

    /// <summary>The patient's grants as a list of <see cref="GrantRef"/>.</summary>
    public static string PatientGrants(string patient) => $"consent/grants-of/{patient}";

    public static string Delegation(string patient, string delegateId) => $"consent/delegate/{patient}/{delegateId}";

    public static string Emergency(string id) => $"consent/emergency/{id}";

    public static string PatientEmergencies(string patient) => $"consent/emergencies-of/{patient}";

    public static string ReviewQueue(string organisation) => $"consent/review-queue/{organisation}";

    /// <summary>A clinician's record of unjustified emergency accesses (<see cref="ClinicianFlag"/>).</summary>
    public static string Flag(string clinician) => $"consent/flag/{clinician}";

    /// <summary>A clinician's access request; <see cref="PatientRequests"/> lists a patient's.</summary>
    public static string Request(string id) => $"consent/request/{id}";

    public static string PatientRequests(string patient) => $"consent/requests-of/{patient}";
}
