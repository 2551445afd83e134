namespace CareLedger.Contracts.Consent;

/// <summary>
/// A clinician's request for access to a patient's record: who asks, for which actions and purposes, a reason code (no free
/// text), when. Status: open, granted (then <see cref="Grant"/>), declined.
/// </summary>
public sealed record AccessRequestRecord(string Id, string Patient, string Requester, string Organisation, IReadOnlyList<string> Actions,
    IReadOnlyList<string> Purposes, string Reason, long Time, string Status, string? Grant);
