using CareLedger.Ledger.Ordering;
using CareLedger.Testing;

namespace CareLedger.Ledger.Tests.Ordering;

public class SoloOrderingServiceTests
{
    [Fact]
    public async Task Blocks_are_cut_at_the_count_limit_and_after_the_wait()
    {
        using var chain = TestChain.InMemory();
        var ordering = new SoloOrderingService(new BlockCutOptions { MaxTransactions = 4, MaxWait = TimeSpan.FromMilliseconds(50) }, TimeProvider.System);
        for (var i = 0; i < 6; i++)
        {
            Assert.True(ordering.TryEnqueue(chain.Anchor()));
        }
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var batches = new List<OrderedBatch>();
        await foreach (var batch in ordering.ReadBatchesAsync(cts.Token))
        {
            batches.Add(batch);
            if (batches.Sum(b => b.Transactions.Count) == 6)
            {
                break;
            }
        }
        Assert.Equal([4, 2], batches.Select(b => b.Transactions.Count));
        Assert.True(batches[1].Timestamp > batches[0].Timestamp);
    }
}
