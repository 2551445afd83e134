using System.Globalization;
using CareLedger.Contracts.Statistics;

namespace CareLedger.Node.Statistics;

/// <summary>
/// Weekly cases of a reportable condition (from providers' case reports on the ledger), by region or all regions, with a four-week
/// linear forecast (least squares over the last eight weeks) and an alert when the latest week exceeds the mean of the eight
/// before it by more than two standard deviations (at least one case). Weeks with fewer than k cases (but some) are suppressed.
/// </summary>
public sealed class OutbreakWatch(LedgerNode node)
{
    private const int Baseline = 8;
    private const int Horizon = 4;

    public Trend Trend(string condition, string? region, int k)
    {
        var byWeek = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Store.ScanState($"{StatisticsKeys.CasesPrefix}{condition}/", 10_000_000))
        {
            var parts = key[(StatisticsKeys.CasesPrefix.Length + condition.Length + 1)..].Split('/');
            if (region is null || parts[0] == region)
            {
                byWeek[parts[1]] = byWeek.GetValueOrDefault(parts[1]) + long.Parse(System.Text.Encoding.UTF8.GetString(value), CultureInfo.InvariantCulture);
            }
        }
        if (byWeek.Count == 0)
        {
            return new Trend(condition, region, k, [], [], false);
        }
        var weeks = Weeks(byWeek.Keys.First(), byWeek.Keys.Last()).ToList();
        var counts = weeks.Select(w => byWeek.GetValueOrDefault(w)).ToList();
        var points = weeks.Zip(counts, (w, c) => c > 0 && c < k ? new TrendPoint(w, null, true) : new TrendPoint(w, c, false)).ToList();
        return new Trend(condition, region, k, points, Forecast(weeks[^1], counts), Alert(counts));
    }

    private static List<ForecastPoint> Forecast(string lastWeek, List<long> counts)
    {
        var recent = counts.TakeLast(Baseline).Select(c => (double)c).ToList();
        var n = recent.Count;
        var meanX = (n - 1) / 2.0;
        var meanY = recent.Average();
        var sxx = Enumerable.Range(0, n).Sum(x => (x - meanX) * (x - meanX));
        var slope = sxx == 0 ? 0 : Enumerable.Range(0, n).Sum(x => (x - meanX) * (recent[x] - meanY)) / sxx;
        var start = Monday(lastWeek);
        return Enumerable.Range(1, Horizon)
            .Select(h => new ForecastPoint(Week(start.AddDays(7 * h)), Math.Round(Math.Max(0, meanY + (slope * (n - 1 + h - meanX))), 1)))
            .ToList();
    }

    private static bool Alert(List<long> counts)
    {
        if (counts.Count < 5)
        {
            return false;
        }
        var baseline = counts.SkipLast(1).TakeLast(Baseline).Select(c => (double)c).ToList();
        var mean = baseline.Average();
        var sd = Math.Sqrt(baseline.Sum(c => (c - mean) * (c - mean)) / baseline.Count);
        return counts[^1] > mean + (2 * Math.Max(sd, 1));
    }

    private static IEnumerable<string> Weeks(string first, string last)
    {
        for (var monday = Monday(first); monday <= Monday(last); monday = monday.AddDays(7))
        {
            yield return Week(monday);
        }
    }

    private static DateTime Monday(string week) =>
        ISOWeek.ToDateTime(int.Parse(week[..4], CultureInfo.InvariantCulture), int.Parse(week[6..], CultureInfo.InvariantCulture), DayOfWeek.Monday);

    private static string Week(DateTime day) =>
        $"{ISOWeek.GetYear(day).ToString(CultureInfo.InvariantCulture)}-W{ISOWeek.GetWeekOfYear(day).ToString("00", CultureInfo.InvariantCulture)}";
}

/// <summary>A condition's weekly cases, the forecast, and whether the latest week is unusually high.</summary>
public sealed record Trend(string Condition, string? Region, int K, IReadOnlyList<TrendPoint> Weeks, IReadOnlyList<ForecastPoint> Forecast, bool Alert)
{
    /// <summary>CSV: week, cases, suppressed, kind (observed or forecast).</summary>
    public string ToCsv()
    {
        var csv = new System.Text.StringBuilder("week,cases,suppressed,kind\r\n");
        foreach (var point in Weeks)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{point.Week},{point.Cases},{(point.Suppressed ? "true" : "false")},observed\r\n");
        }
        foreach (var point in Forecast)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{point.Week},{point.Cases:0.#},false,forecast\r\n");
        }
        return csv.ToString();
    }
}

/// <summary>One ISO week's cases (null when suppressed).</summary>
public sealed record TrendPoint(string Week, long? Cases, bool Suppressed);

/// <summary>A forecast week's expected cases.</summary>
public sealed record ForecastPoint(string Week, double Cases);
