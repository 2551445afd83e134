namespace CareLedger.Contracts.Insurance;

/// <summary>An insurer's plan: every version it published, oldest first; a claim uses the one in force on its date of service.</summary>
public sealed record PlanRecord(string Id, string Insurer, string Name, string Currency, IReadOnlyList<PlanVersion> Versions)
{
    /// <summary>The version in force at <paramref name="time"/>, or null before the first.</summary>
    public PlanVersion? InForce(long time) => Versions.LastOrDefault(v => v.EffectiveFrom <= time);
}

/// <summary>
/// One version of a plan's rules, in minor units of the plan's currency: deductible, annual out-of-pocket maximum,
/// annual payer limit (0 = none), waiting period, the allowed amount above which a line is pended for a claims
/// officer (0 = never), the in-network providers, the covered codes and the excluded ones.
/// </summary>
public sealed record PlanVersion(long EffectiveFrom, long Deductible, long OutOfPocketMax, long AnnualLimit, int WaitingPeriodDays, long PendAbove,
    IReadOnlyList<string> Network, IReadOnlyList<Benefit> Benefits, IReadOnlyList<string> Exclusions);

/// <summary>
/// A covered service or drug code (CPT/HCPCS, or a GTIN for a medicine): allowed amount per unit in and out of
/// network (null = not covered out of network), either a fixed copay or the payer's coinsurance percentage, whether the
/// deductible applies, units covered per year (0 = no limit), prior authorisation, and its own waiting period.
/// </summary>
public sealed record Benefit(string Code, long Allowed, long? OutOfNetworkAllowed, long? Copay, int? PayerPercent, bool DeductibleApplies,
    int UnitsPerYear, bool PriorAuthorisation, int? WaitingPeriodDays);
