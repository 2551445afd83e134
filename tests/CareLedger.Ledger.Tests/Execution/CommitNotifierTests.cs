using CareLedger.Testing;

namespace CareLedger.Ledger.Tests.Execution;

public class CommitNotifierTests
{
    [Fact]
    public async Task A_batch_wait_returns_every_result_in_order_once_the_blocks_commit()
    {
        using var chain = TestChain.InMemory();
        var notifier = new CommitNotifier();
        var first = new[] { chain.Anchor(), chain.Anchor() };
        var second = new[] { chain.Anchor() };
        var ids = second.Concat(first).Select(t => t.Id).ToList();

        var waiting = notifier.WaitAllAsync(ids, _ => null, TimeSpan.FromSeconds(10), CancellationToken.None);
        notifier.Committed(chain.Commit(first));
        Assert.False(waiting.IsCompleted);
        notifier.Committed(chain.Commit(second));

        var results = await waiting;
        Assert.Equal(ids, results.Select(r => r!.TransactionId));
    }

    [Fact]
    public async Task A_result_committed_before_the_wait_is_found_and_a_missing_one_is_null_after_the_timeout()
    {
        using var chain = TestChain.InMemory();
        var notifier = new CommitNotifier();
        var early = chain.Anchor();
        var block = chain.Commit(early);
        var never = chain.Anchor();

        var results = await notifier.WaitAllAsync([early.Id, never.Id],
            id => id == early.Id ? block.Results[0] : null, TimeSpan.FromMilliseconds(100), CancellationToken.None);

        Assert.Equal(early.Id, results[0]!.TransactionId);
        Assert.Null(results[1]);
    }

    [Fact]
    public async Task Two_waiters_of_one_transaction_both_get_its_result_and_a_cancelled_wait_leaves_the_other()
    {
        using var chain = TestChain.InMemory();
        var notifier = new CommitNotifier();
        var tx = chain.Anchor();
        using var cancel = new CancellationTokenSource();
        var cancelled = notifier.WaitAsync(tx.Id, _ => null, TimeSpan.FromSeconds(10), cancel.Token);
        var single = notifier.WaitAsync(tx.Id, _ => null, TimeSpan.FromSeconds(10), CancellationToken.None);
        var batch = notifier.WaitAllAsync([tx.Id], _ => null, TimeSpan.FromSeconds(10), CancellationToken.None);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        notifier.Committed(chain.Commit(tx));

        Assert.Equal(tx.Id, (await single)!.TransactionId);
        Assert.Equal(tx.Id, (await batch)[0]!.TransactionId);
    }
}
