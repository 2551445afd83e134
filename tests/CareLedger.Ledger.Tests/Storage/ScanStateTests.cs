using CareLedger.Testing;

namespace CareLedger.Ledger.Tests.Storage;

public sealed class ScanStateTests
{
    [Fact]
    public void The_latest_keys_of_a_prefix_come_last_first_and_stay_within_the_prefix()
    {
        using var chain = TestChain.InMemory();
        for (var i = 0; i < 5; i++)
        {
            chain.Commit(chain.Anchor());
        }
        var all = chain.Store.ScanState("notary/", 100).Select(r => r.Key).ToList();
        Assert.Equal(5, all.Count);

        var latest = chain.Store.ScanStateLatest("notary/", 2).Select(r => r.Key).ToList();

        Assert.Equal([all[4], all[3]], latest);
        Assert.Equal(all.AsEnumerable().Reverse(), chain.Store.ScanStateLatest("notary/", 100).Select(r => r.Key));
        Assert.Empty(chain.Store.ScanStateLatest("notary/zz", 10));
    }
}
