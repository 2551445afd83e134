using System.Globalization;
using System.Text;

namespace CareLedger.Node.Statistics;

/// <summary>
/// A released table: its dimensions and cells, and how it was protected — "suppressed" (exact counts, cells below k withheld) or
/// "discrete-laplace" (every cell noisy under ε, in milli-epsilon, spent from the analyst's budget).
/// </summary>
public sealed record StatisticsTable(string Name, IReadOnlyList<string> Dimensions, IReadOnlyList<StatisticsCell> Cells, int K, string Protection, long? Epsilon)
{
    /// <summary>RFC 4180 CSV: the dimensions, then count, median_hours, p90_hours, suppressed.</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder();
        csv.Append(string.Join(',', Dimensions.Select(Quote))).Append(",count,median_hours,p90_hours,suppressed\r\n");
        foreach (var cell in Cells)
        {
            csv.Append(string.Join(',', cell.Key.Select(Quote))).Append(',')
                .Append(cell.Count?.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(cell.MedianHours?.ToString("0.##", CultureInfo.InvariantCulture)).Append(',')
                .Append(cell.P90Hours?.ToString("0.##", CultureInfo.InvariantCulture)).Append(',')
                .Append(cell.Suppressed ? "true" : "false").Append("\r\n");
        }
        return csv.ToString();
    }

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}

/// <summary>One cell: its dimension values, the count (null when suppressed) and, for durations, the median and 90th percentile in hours.</summary>
public sealed record StatisticsCell(IReadOnlyList<string> Key, long? Count, bool Suppressed, double? MedianHours = null, double? P90Hours = null);
