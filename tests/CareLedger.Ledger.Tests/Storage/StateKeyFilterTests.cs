using CareLedger.Storage;

namespace CareLedger.Ledger.Tests.Storage;

public sealed class StateKeyFilterTests
{
    private static string Key(string kind, int i) => $"notary/{kind}-{i:x8}";

    [Fact]
    public void Every_added_key_may_be_present_across_segments_and_few_absent_keys_are_false_positives()
    {
        var filter = new StateKeyFilter();
        // 300,000 keys fill the first segments (65,536, 131,072) and spill into a third.
        for (var i = 0; i < 300_000; i++)
        {
            filter.Add(Key("present", i));
        }
        filter.MarkComplete();

        Assert.All(Enumerable.Range(0, 300_000), i => Assert.True(filter.MayContain(Key("present", i))));
        var falsePositives = Enumerable.Range(0, 100_000).Count(i => filter.MayContain(Key("absent", i)));
        Assert.InRange(falsePositives, 0, 500); // under 0.5 %; each full segment is under 0.1 %
    }

    [Fact]
    public void Until_it_is_complete_every_key_may_be_present()
    {
        var filter = new StateKeyFilter();
        filter.Add(Key("present", 1));
        Assert.True(filter.MayContain(Key("absent", 1)));
        filter.MarkComplete();
        Assert.False(filter.MayContain(Key("absent", 1)));
        Assert.True(filter.MayContain(Key("present", 1)));
    }

    [Fact]
    public void Keys_added_from_two_threads_at_once_are_all_kept()
    {
        // The opening scan and the block writer add at the same time, across a segment boundary.
        var filter = new StateKeyFilter();
        Parallel.For(0, 2, t =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                filter.Add(Key($"thread{t}", i));
            }
        });
        filter.MarkComplete();
        Assert.All(Enumerable.Range(0, 100_000), i =>
        {
            Assert.True(filter.MayContain(Key("thread0", i)));
            Assert.True(filter.MayContain(Key("thread1", i)));
        });
    }
}
