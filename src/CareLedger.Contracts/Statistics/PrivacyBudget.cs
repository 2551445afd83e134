namespace CareLedger.Contracts.Statistics;

/// <summary>
/// An analyst's differential-privacy budget in milli-epsilon (1000 = ε 1.0): what a regulator granted and what noisy answers have
/// spent. Integers, so every node computes the same remainder.
/// </summary>
public sealed record PrivacyBudget(string Analyst, long Granted, long Spent, int Queries)
{
    public long Remaining => Granted - Spent;
}
