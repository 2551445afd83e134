namespace CareLedger.Contracts.Consent;

/// <summary>
/// Break-glass access opened by a clinician with an emergency role, for at most 24 hours. The reason is
/// a code plus a salted hash of the clinician's note (kept off-ledger). Review: pending, justified or unjustified.
/// </summary>
public sealed record EmergencyAccess(string Id, string Patient, string Clinician, string Organisation, string ReasonCode, string ReasonHash,
    long OpenedAt, long Expires, string Review, string? ReviewedBy);
