namespace CareLedger.Contracts.Identity;

/// <summary>Kinds of organisation that the contracts treat alike.</summary>
public static class OrganisationKinds
{
    /// <summary>Organisations that treat patients: they hold records, employ clinicians and claim from insurers.</summary>
    public static readonly IReadOnlySet<string> Providers = new HashSet<string>(["Hospital", "Clinic", "Laboratory", "Pharmacy"], StringComparer.Ordinal);

    /// <summary>The kind of organisation <paramref name="id"/>, or null when there is none.</summary>
    public static string? Of(Ledger.Execution.IStateReader state, string id) =>
        StateJson.Read<OrganisationRecord>(state.Get(IdentityKeys.Organisation(id)))?.Kind;
}
