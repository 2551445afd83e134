namespace CareLedger.Contracts.Statistics;

/// <summary>State keys of the statistics contract.</summary>
public static class StatisticsKeys
{
    public static string Budget(string analyst) => $"stats/budget/{analyst}";

    public static string Region(string organisation) => $"stats/region/{organisation}";

    public const string CasesPrefix = "stats/cases/";

    /// <summary>One organisation's count of cases of a condition in a region and ISO week.</summary>
    public static string Cases(string condition, string region, string week, string organisation) => $"{CasesPrefix}{condition}/{region}/{week}/{organisation}";
}
