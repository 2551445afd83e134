using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Identity;
using CareLedger.Contracts.Statistics;
using CareLedger.Ledger.Execution;

namespace CareLedger.Node.Statistics;

/// <summary>
/// Who may read exact (suppressed, not noisy) statistics: regulators (their key or staff), auditors, and analysts a regulator has
/// granted a privacy budget, the network's way of appointing an analyst. Everyone else gets noisy answers paid from their own budget.
/// </summary>
public static class StatisticsAccess
{
    public static bool MayReadExact(IStateReader state, Caller caller) =>
        caller.Kind is "organisation" or "member" && OrganisationKinds.Of(state, caller.Organisation) == "Regulator"
        || caller.Roles.Contains(Roles.Auditor)
        || StatisticsContract.Budget(state, caller.Id).Granted > 0;
}
