namespace CareLedger.Contracts.Statistics;

/// <summary>Stable rejection codes of the statistics contract.</summary>
public static class StatisticsErrors
{
    public const string NotAuthorised = "stats.not_authorised";
    public const string BadEpsilon = "stats.bad_epsilon";
    public const string BudgetExhausted = "stats.budget_exhausted";
    public const string BadReport = "stats.bad_report";
}
