using System.Collections.Concurrent;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;

namespace CareLedger.Ledger;

/// <summary>
/// Lets callers wait until transactions are in committed blocks, and hands them their results. A batch
/// of transactions is one wait: one completion and one timer however many transactions it holds.
/// </summary>
public sealed class CommitNotifier
{
    private readonly ConcurrentDictionary<Hash, (Waiter Waiter, int Index)[]> _waiting = new();

    /// <summary>
    /// Waits for the result of <paramref name="id"/>. <paramref name="lookup"/> reads a result that was
    /// committed before the wait began. Returns null on timeout.
    /// </summary>
    public async Task<TransactionResult?> WaitAsync(Hash id, Func<Hash, TransactionResult?> lookup, TimeSpan timeout, CancellationToken cancellationToken) =>
        (await WaitAllAsync([id], lookup, timeout, cancellationToken))[0];

    /// <summary>
    /// Waits until every transaction of <paramref name="ids"/> is committed, or <paramref name="timeout"/> passes.
    /// Returns their results in the same order, null for those without one.
    /// </summary>
    public async Task<TransactionResult?[]> WaitAllAsync(IReadOnlyList<Hash> ids, Func<Hash, TransactionResult?> lookup, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var waiter = new Waiter(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            _waiting.AddOrUpdate(ids[i], static (_, entry) => [entry], static (_, entries, entry) => [.. entries, entry], (waiter, i));
        }
        try
        {
            // Registered first, looked up second: a block committed in between is seen by one or the other.
            for (var i = 0; i < ids.Count; i++)
            {
                if (lookup(ids[i]) is { } already)
                {
                    waiter.Set(i, already);
                }
            }
            await waiter.AllSet.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            for (var i = 0; i < ids.Count; i++)
            {
                if (waiter.Results[i] is null && lookup(ids[i]) is { } late)
                {
                    waiter.Set(i, late);
                }
            }
        }
        finally
        {
            for (var i = 0; i < ids.Count; i++)
            {
                Unregister(ids[i], waiter);
            }
        }
        return waiter.Results;
    }

    /// <summary>Hands the results of a committed block to their waiters.</summary>
    public void Committed(Block block)
    {
        foreach (var result in block.Results)
        {
            if (_waiting.TryRemove(result.TransactionId, out var entries))
            {
                foreach (var (waiter, index) in entries)
                {
                    waiter.Set(index, result);
                }
            }
        }
    }

    private void Unregister(Hash id, Waiter waiter)
    {
        while (_waiting.TryGetValue(id, out var entries))
        {
            var others = Array.FindAll(entries, e => e.Waiter != waiter);
            if (others.Length == entries.Length)
            {
                return;
            }
            var done = others.Length == 0
                ? _waiting.TryRemove(KeyValuePair.Create(id, entries))
                : _waiting.TryUpdate(id, others, entries);
            if (done)
            {
                return;
            }
        }
    }

    private sealed class Waiter(int count)
    {
        private readonly TaskCompletionSource _allSet = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _missing = count;

        public TransactionResult?[] Results { get; } = new TransactionResult?[count];

        public Task AllSet => Results.Length == 0 ? Task.CompletedTask : _allSet.Task;

        public void Set(int index, TransactionResult result)
        {
            if (Interlocked.CompareExchange(ref Results[index], result, null) is null && Interlocked.Decrement(ref _missing) == 0)
            {
                _allSet.TrySetResult();
            }
        }
    }
}
