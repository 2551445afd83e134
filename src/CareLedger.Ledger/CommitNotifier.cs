using System.Collections.Concurrent;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;

namespace CareLedger.Ledger;

/// <summary>Lets callers wait until a transaction is in a committed block, and hands them its result.</summary>
public sealed class CommitNotifier
{
    private readonly ConcurrentDictionary<Hash, TaskCompletionSource<TransactionResult>> _waiters = new();

    /// <summary>
    /// Waits for the result of <paramref name="id"/>. <paramref name="lookup"/> reads a result that was
    /// committed before the wait began. Returns null on timeout.
    /// </summary>
    public async Task<TransactionResult?> WaitAsync(Hash id, Func<TransactionResult?> lookup, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var tcs = _waiters.GetOrAdd(id, _ => new TaskCompletionSource<TransactionResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (lookup() is { } already)
        {
            _waiters.TryRemove(id, out _);
            return already;
        }
        try
        {
            return await tcs.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            _waiters.TryRemove(id, out _);
            return lookup();
        }
    }

    /// <summary>Hands the results of a committed block to their waiters.</summary>
    public void Committed(Block block)
    {
        foreach (var result in block.Results)
        {
            if (_waiters.TryRemove(result.TransactionId, out var tcs))
            {
                tcs.TrySetResult(result);
            }
        }
    }
}
