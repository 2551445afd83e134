namespace CareLedger.Contracts.Identity;

/// <summary>A person enrolled by an organisation, with roles. Status: active or suspended.</summary>
public sealed record MemberRecord(string Id, string Organisation, IReadOnlyList<string> Roles, string KeyId, string Status);
