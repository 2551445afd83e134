using CareLedger.Node.Statistics;

namespace CareLedger.Node.Tests;

public sealed class StatisticsPrivacyTests
{
    [Theory]
    [InlineData(0.25, 2.0, 1.3862943611198906)]
    [InlineData(-0.25, 2.0, -1.3862943611198906)]
    [InlineData(0.0, 5.0, 0.0)]
    [InlineData(0.45, 1.0, 2.302585092994046)]
    public void A_uniform_value_maps_to_the_inverse_laplace_cdf(double u, double scale, double expected) =>
        Assert.Equal(expected, LaplaceNoise.Sample(scale, u), 12);

    [Fact]
    public void Noise_from_the_cryptographic_generator_has_the_documented_laplace_distribution()
    {
        var noise = new LaplaceNoise();
        const double epsilon = 0.5;
        var samples = Enumerable.Range(0, 40_000).Select(_ => noise.NoisyCount(1_000, epsilon) - 1_000.0).ToList();
        var scale = 1 / epsilon;
        Assert.InRange(samples.Average(), -0.1, 0.1);
        Assert.InRange(samples.Average(Math.Abs), scale * 0.95, scale * 1.05);
        Assert.InRange(samples.Average(x => x * x), 2 * scale * scale * 0.9, 2 * scale * scale * 1.1 + (1.0 / 12));
        // Counts are rounded, so |noise| >= 6 is |Laplace| >= 5.5: probability e^(-5.5/b).
        Assert.InRange(samples.Count(x => Math.Abs(x) >= 6) / (double)samples.Count, Math.Exp(-5.5 / scale) * 0.85, Math.Exp(-5.5 / scale) * 1.15);
    }

    [Fact]
    public void A_noisy_count_is_rounded_and_never_negative()
    {
        Assert.Equal(0, new LaplaceNoise(() => -0.49999).NoisyCount(3, 1));
        Assert.Equal(7, new LaplaceNoise(() => 0.0).NoisyCount(7, 1));
        Assert.Equal(9, new LaplaceNoise(() => 0.4).NoisyCount(7, 1));
        Assert.Equal(5, new LaplaceNoise(() => -0.4).NoisyCount(7, 1));
    }

    [Fact]
    public void Cells_below_k_are_withheld_whole_and_durations_are_nearest_rank_percentiles()
    {
        var facts = Enumerable.Range(1, 10).Select(h => new Fact(["US-MA", "2027-01"], h))
            .Concat(Enumerable.Range(1, 4).Select(h => new Fact(["US-NY", "2027-01"], h * 100)))
            .ToList();

        var table = Aggregation.Suppressed("prescription-to-dispense", ["region", "month"], [0, 1], facts, 5);

        Assert.Equal(new StatisticsCell(["US-MA", "2027-01"], 10, false, 5, 9), table.Cells[0] with { Key = ["US-MA", "2027-01"] }, new CellComparer());
        Assert.Equal((null, true, null), (table.Cells[1].Count, table.Cells[1].Suppressed, table.Cells[1].MedianHours));
    }

    private sealed class CellComparer : IEqualityComparer<StatisticsCell>
    {
        public bool Equals(StatisticsCell? x, StatisticsCell? y) =>
            x!.Key.SequenceEqual(y!.Key) && (x.Count, x.Suppressed, x.MedianHours, x.P90Hours) == (y.Count, y.Suppressed, y.MedianHours, y.P90Hours);

        public int GetHashCode(StatisticsCell obj) => obj.Count.GetHashCode();
    }
}
