using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Statistics;
using CareLedger.Ledger.Execution;
using CareLedger.Node.Auth;

namespace CareLedger.Node.Statistics;

/// <summary>
/// Who may read exact (suppressed, not noisy) statistics: auditors (<see cref="Auditors"/>: regulators and governed auditors) and
/// analysts a regulator has granted a privacy budget, the network's way of appointing an analyst. Everyone else gets noisy answers
/// paid from their own budget.
/// </summary>
internal static class StatisticsAccess
{
    public static bool MayReadExact(IStateReader state, Caller caller) =>
        Auditors.Include(state, caller) || StatisticsContract.Budget(state, caller.Id).Granted > 0;
}
