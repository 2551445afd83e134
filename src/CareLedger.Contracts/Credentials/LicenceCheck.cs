namespace CareLedger.Contracts.Credentials;

/// <summary>
/// The answer to "is this practitioner licensed for X (in Y) on D?": the credential that makes it so, or the
/// standing of the closest one (expired, suspended, revoked, not_yet_valid) or <c>none</c>.
/// </summary>
public sealed record LicenceCheck(bool Licensed, string? Credential, string Standing);
