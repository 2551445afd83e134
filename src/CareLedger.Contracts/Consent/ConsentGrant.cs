namespace CareLedger.Contracts.Consent;

/// <summary>
/// A patient's permission: for a grantee, over a scope (categories, FHIR resource types, record ids —
/// each list, when not empty, must match), for actions (read, append) and purposes of use, valid in
/// [<see cref="NotBefore"/>, <see cref="Expires"/>) in block time. Status: active or revoked.
/// </summary>
public sealed record ConsentGrant(
    string Id,
    string Patient,
    Grantee Grantee,
    IReadOnlyList<string> Categories,
    IReadOnlyList<string> ResourceTypes,
    IReadOnlyList<string> Records,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> Purposes,
    long NotBefore,
    long Expires,
    string GrantedBy,
    string Status,
    long? RevokedAt);
