namespace CareLedger.Contracts.Consent;

/// <summary>A record as the decision point sees it: its id, category and FHIR resource type (no content).</summary>
public sealed record RecordRef(string Id, string Category, string ResourceType);

/// <summary>May <paramref name="Caller"/> do <paramref name="Action"/> on <paramref name="Record"/> of <paramref name="Patient"/> for <paramref name="Purpose"/> at <paramref name="Time"/>?</summary>
public sealed record AccessRequest(Caller Caller, string Patient, RecordRef Record, string Action, string Purpose, long Time);

/// <summary>
/// Permit or Deny, with what permitted it (a grant, an emergency access, the patient themself, a
/// delegate) or the stable reason of the denial.
/// </summary>
public sealed record AccessDecision(bool Permit, string Reason, string? GrantId = null, string? EmergencyId = null)
{
    public static AccessDecision Deny(string reason) => new(false, reason);
}
