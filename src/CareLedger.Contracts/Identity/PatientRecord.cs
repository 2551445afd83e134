namespace CareLedger.Contracts.Identity;

/// <summary>A pseudonymous patient bound to their own key. Status: registered, then attested by a provider.</summary>
public sealed record PatientRecord(string Id, string KeyId, string Status, string? AttestedBy);
