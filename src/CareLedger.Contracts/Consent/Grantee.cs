namespace CareLedger.Contracts.Consent;

/// <summary>
/// Who a grant is for: a member (<see cref="Kind"/> "member", <see cref="Id"/> the member id), an
/// organisation ("organisation", the org id) or a role within an organisation ("role", <see cref="Id"/>
/// the role, <see cref="Organisation"/> the org id).
/// </summary>
public sealed record Grantee(string Kind, string Id, string? Organisation);
