namespace CareLedger.Contracts.Consent;

/// <summary>An entry of a patient's grant list: the grant id and whom it names, so a decision reads only the caller's grants.</summary>
public sealed record GrantRef(string Id, Grantee Grantee);
