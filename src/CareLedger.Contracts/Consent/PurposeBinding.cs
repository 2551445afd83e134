using CareLedger.Contracts.Identity;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.Consent;

/// <summary>
/// Which purposes of use a caller may claim, from what the ledger says they are: treatment needs a clinical role at a care
/// provider, payment a claims role at an insurer, research a research role at a sponsor or provider, operations an operations role
/// at a provider. An organisation's own key claims the purposes of its kind. A purpose the caller may not claim is denied before
/// any grant is looked at, so a grant for research cannot be reached by a nurse who says "research".
/// </summary>
public static class PurposeBinding
{
    private static readonly IReadOnlySet<string> Insurers = new HashSet<string>(["Insurer"], StringComparer.Ordinal);
    private static readonly IReadOnlySet<string> ResearchOrganisations =
        new HashSet<string>([.. OrganisationKinds.Providers, "ResearchSponsor"], StringComparer.Ordinal);

    public static bool MayClaim(IStateReader state, Caller caller, string purpose)
    {
        var (roles, kinds) = purpose switch
        {
            PurposeOfUse.Treatment or PurposeOfUse.Emergency => (Roles.Clinical, OrganisationKinds.Providers),
            PurposeOfUse.Payment => (Roles.Payment, Insurers),
            PurposeOfUse.Research => (Roles.Research, ResearchOrganisations),
            PurposeOfUse.Operations => (Roles.Operations, OrganisationKinds.Providers),
            _ => (null, null),
        };
        if (roles is null || kinds is null || caller.Kind is not ("member" or "organisation"))
        {
            return false;
        }
        return (caller.Kind == "organisation" || caller.Roles.Any(roles.Contains))
            && OrganisationKinds.Of(state, caller.Organisation) is { } kind && kinds.Contains(kind);
    }
}
