using CareLedger.Node.Statistics;

namespace CareLedger.Node.Tests;

public sealed class StatisticsPrivacyTests
{
    [Theory]
    [InlineData(500)]
    [InlineData(1000)]
    [InlineData(2500)]
    public void Discrete_laplace_noise_has_the_documented_distribution(long milliEpsilon)
    {
        var noise = new DiscreteLaplace();
        var samples = Enumerable.Range(0, 40_000).Select(_ => noise.NoisyCount(1_000, milliEpsilon) - 1_000).ToList();
        Assert.All(samples, x => Assert.True(x == Math.Truncate((double)x)));
        // P(x) = (1 - p)/(1 + p) · p^|x| with p = e^-ε: mean 0, E|x| = 2p/(1 - p²), P(0) = (1 - p)/(1 + p), P(|x| ≥ 6) = 2p⁶/(1 + p).
        var p = Math.Exp(-milliEpsilon / 1000.0);
        Assert.InRange(samples.Average(), -0.1, 0.1);
        Assert.InRange(samples.Average(x => Math.Abs((double)x)), 2 * p / (1 - (p * p)) * 0.95, 2 * p / (1 - (p * p)) * 1.05);
        Assert.InRange(samples.Count(x => x == 0) / (double)samples.Count, (1 - p) / (1 + p) * 0.95, (1 - p) / (1 + p) * 1.05);
        var tail = 2 * Math.Pow(p, 6) / (1 + p);
        Assert.InRange(samples.Count(x => Math.Abs(x) >= 6) / (double)samples.Count, tail * 0.8 - 0.0005, tail * 1.2 + 0.0005);
    }

    [Fact]
    public void A_scripted_draw_walks_the_exact_sampler_and_a_noisy_count_is_never_negative()
    {
        // U = 0 (accepted: exp(0) = 1), no geometric step (Bernoulli(1) then Bernoulli(1/2) fails: an even count), sign positive: 0.
        var script = new Queue<int>([0, 0, 0, 1, 0]);
        Assert.Equal(0, new DiscreteLaplace(_ => script.Dequeue()).Sample(1, 1));
        Assert.Empty(script);
        var noise = new DiscreteLaplace();
        Assert.All(Enumerable.Range(0, 2_000), _ => Assert.True(noise.NoisyCount(0, 100) >= 0));
    }

    [Fact]
    public void Sticky_noise_answers_a_repeated_question_alike_and_one_more_person_does_not_show_as_one_more()
    {
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var noise = new StickyNoise(key);
        // Asking again (here or after a restart with the same key) cannot average the noise away.
        Assert.All(Enumerable.Range(0, 20), i => Assert.Equal(noise.Release($"beacon|q{i}", 7, 1000), new StickyNoise(key).Release($"beacon|q{i}", 7, 1000)));
        // Before and after one upload: the difference is one in fewer than half of the questions (exactly one every time would reveal it).
        var questions = Enumerable.Range(0, 2000).Select(i => $"beacon|{i}").ToList();
        var exactlyOne = questions.Count(q => noise.Release(q, 6, 1000) - noise.Release(q, 5, 1000) == 1);
        Assert.InRange(exactlyOne / 2000.0, 0.1, 0.5);
        Assert.NotEqual(questions.Select(q => noise.Release(q, 5, 1000)), questions.Select(q => new StickyNoise(new byte[32]).Release(q, 5, 1000)));
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
