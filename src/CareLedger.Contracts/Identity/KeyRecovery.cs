namespace CareLedger.Contracts.Identity;

/// <summary>
/// A patient's lost key being replaced: the new key, and who has asked for it so far. It takes effect when both one of the patient's
/// delegates (<see cref="Delegate"/>) and one of the patient's custodians (<see cref="Custodian"/>) have asked for the same key.
/// </summary>
public sealed record KeyRecovery(string Patient, string KeyId, string PublicKey, string? Delegate, string? Custodian, long Opened);
