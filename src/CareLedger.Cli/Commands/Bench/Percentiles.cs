namespace CareLedger.Cli.Commands.Bench;

/// <summary>Latency percentiles by the nearest-rank method, in milliseconds rounded to 0.01.</summary>
internal static class Percentiles
{
    /// <summary>The value below which a share <paramref name="p"/> of the sorted samples fall (0 when there are none).</summary>
    public static double At(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)], 2);

    /// <summary>p50, p95, p99 and the maximum of sorted samples.</summary>
    public static object Of(double[] sorted) =>
        new { p50 = At(sorted, 0.50), p95 = At(sorted, 0.95), p99 = At(sorted, 0.99), max = sorted.Length == 0 ? 0 : Math.Round(sorted[^1], 2) };
}
