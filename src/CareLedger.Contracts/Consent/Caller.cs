using CareLedger.Contracts.Identity;
using CareLedger.Core.Crypto;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.Consent;

/// <summary>
/// Who is asking, as the ledger knows them: <see cref="Kind"/> patient, member or organisation, the id,
/// the organisation (a member's employer, or the organisation itself) and a member's roles.
/// </summary>
public sealed record Caller(string Kind, string Id, string Organisation, IReadOnlyList<string> Roles)
{
    /// <summary>The active identity behind an active key, or null.</summary>
    public static Caller? Resolve(IStateReader state, KeyId key) => Of(state, StateJson.Read<KeyRecord>(state.Get(IdentityKeys.Key(key))));

    /// <summary>
    /// The active identity behind an active key record, or null. A member's key speaks for the member only while they belong to the
    /// organisation that enrolled the key.
    /// </summary>
    public static Caller? Of(IStateReader state, KeyRecord? key)
    {
        if (key is not { Status: "active", OwnerKind: "patient" or "member" or "organisation" })
        {
            return null;
        }
        var caller = ById(state, key.Owner);
        return caller is { Kind: "member" } && caller.Organisation != key.Organisation ? null : caller;
    }

    /// <summary>The active identity named <paramref name="id"/> (a patient, a member or an organisation), or null.</summary>
    public static Caller? ById(IStateReader state, string id)
    {
        if (id.StartsWith("patient:", StringComparison.Ordinal))
        {
            return state.Get(IdentityKeys.Patient(id)) is not null ? new Caller("patient", id, "", []) : null;
        }
        if (id.StartsWith("member:", StringComparison.Ordinal))
        {
            var member = StateJson.Read<MemberRecord>(state.Get(IdentityKeys.Member(id)));
            return member is { Status: "active" } ? new Caller("member", member.Id, member.Organisation, member.Roles) : null;
        }
        var org = StateJson.Read<OrganisationRecord>(state.Get(IdentityKeys.Organisation(id)));
        return org?.Status == "active" ? new Caller("organisation", org.Id, org.Id, []) : null;
    }

    /// <summary>An active member of <paramref name="organisation"/>, as a caller (an organisation's node acting for its staff).</summary>
    public static Caller? Member(IStateReader state, string memberId, string organisation) =>
        ById(state, memberId) is { Kind: "member" } member && member.Organisation == organisation ? member : null;

    /// <summary>
    /// The caller a transaction acts as: when an organisation's key (its node) signs and names one of its members (the author of a
    /// record, the prescriber, the pharmacist), that member; otherwise the signer itself. Null when the named member is not an
    /// active member of the organisation.
    /// </summary>
    public Caller? ActingFor(IStateReader state, string? member) => Kind == "organisation" && member is not null ? Member(state, member, Organisation) : this;

    /// <summary>True when <paramref name="grantee"/> names this caller (directly, by organisation, or by role).</summary>
    public bool Matches(Grantee grantee) => grantee.Kind switch
    {
        "member" => Kind == "member" && Id == grantee.Id,
        "organisation" => Organisation == grantee.Id && Kind is "member" or "organisation",
        "role" => Kind == "member" && Organisation == grantee.Organisation && Roles.Contains(grantee.Id),
        _ => false,
    };
}
