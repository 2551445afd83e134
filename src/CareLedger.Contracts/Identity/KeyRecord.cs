namespace CareLedger.Contracts.Identity;

/// <summary>
/// A registered public key: whose it is (<see cref="OwnerKind"/> organisation, member, patient or validator)
/// and whether it may sign (active or revoked). <see cref="PublicKey"/> is the base64 DER SPKI.
/// </summary>
public sealed record KeyRecord(string KeyId, string PublicKey, string OwnerKind, string Owner, string Organisation, string Status);
