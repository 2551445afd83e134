namespace CareLedger.Contracts.Consent;

/// <summary>
/// A guardian or proxy acting for a patient within a mandate (any of "grant", "revoke", "read").
/// Basis: "appointment" (by the patient), "court-order" or "parental" (recorded by a custodian organisation, with the salted hash of
/// the order). Status: active, contested (acts no more until governance resolves it) or ended.
/// </summary>
public sealed record Delegation(string Patient, string Delegate, IReadOnlyList<string> Mandate, string Basis, string RecordedBy,
    long NotBefore, long Expires, string Status, string? OrderHash = null)
{
    /// <summary>True while the delegation is active and in its window at <paramref name="time"/>, and its mandate includes <paramref name="act"/>.</summary>
    public bool Allows(string act, long time) => Status == "active" && NotBefore <= time && time < Expires && Mandate.Contains(act);
}
