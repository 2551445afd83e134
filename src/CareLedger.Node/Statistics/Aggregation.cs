namespace CareLedger.Node.Statistics;

/// <summary>Groups facts into cells by the chosen dimensions, and protects them: small-cell suppression, or Laplace noise.</summary>
public static class Aggregation
{
    /// <summary>Exact counts (and duration percentiles); a cell of fewer than k facts is withheld whole.</summary>
    public static StatisticsTable Suppressed(string name, IReadOnlyList<string> dimensions, IReadOnlyList<int> chosen, IEnumerable<Fact> facts, int k) =>
        new(name, chosen.Select(i => dimensions[i]).ToList(), Group(facts, chosen).Select(g =>
        {
            var count = g.Facts.Count;
            if (count < k)
            {
                return new StatisticsCell(g.Key, null, true);
            }
            var hours = g.Facts.Where(f => f.Hours is not null).Select(f => f.Hours!.Value).Order().ToList();
            return new StatisticsCell(g.Key, count, false, Percentile(hours, 0.5), Percentile(hours, 0.9));
        }).ToList(), k, "suppressed", null);

    /// <summary>Noisy counts of every cell under ε (milli-epsilon); nothing is withheld, durations are not released.</summary>
    public static StatisticsTable Noisy(string name, IReadOnlyList<string> dimensions, IReadOnlyList<int> chosen, IEnumerable<Fact> facts, long milliEpsilon, DiscreteLaplace noise) =>
        new(name, chosen.Select(i => dimensions[i]).ToList(), Group(facts, chosen)
            .Select(g => new StatisticsCell(g.Key, noise.NoisyCount(g.Facts.Count, milliEpsilon), false)).ToList(), 0, "discrete-laplace", milliEpsilon);

    private static IEnumerable<(IReadOnlyList<string> Key, List<Fact> Facts)> Group(IEnumerable<Fact> facts, IReadOnlyList<int> chosen) => facts
        .GroupBy(f => string.Join('\u001f', chosen.Select(i => f.Values[i])))
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => ((IReadOnlyList<string>)chosen.Select(i => g.First().Values[i]).ToList(), g.ToList()));

    // Nearest-rank percentile, rounded to two decimals; null without data.
    private static double? Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? null : Math.Round(sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)], 2);
}
