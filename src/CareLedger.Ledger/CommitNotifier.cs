using System.Collections.Concurrent;
using CareLedger.Core.Crypto;

namespace CareLedger.Ledger;

/// <summary>Lets callers wait until a transaction is in a committed block.</summary>
public sealed class CommitNotifier
{
    private readonly ConcurrentDictionary<Hash, TaskCompletionSource> _waiters = new();

    /// <summary>
    /// Waits until <paramref name="isCommitted"/> holds or the block containing <paramref name="id"/> is committed.
    /// Returns false on timeout.
    /// </summary>
    public async Task<bool> WaitAsync(Hash id, Func<bool> isCommitted, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var tcs = _waiters.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (isCommitted())
        {
            return true;
        }
        try
        {
            await tcs.Task.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return isCommitted();
        }
    }

    /// <summary>Wakes the waiters of the committed transactions.</summary>
    public void Committed(IEnumerable<Hash> ids)
    {
        foreach (var id in ids)
        {
            if (_waiters.TryRemove(id, out var tcs))
            {
                tcs.TrySetResult();
            }
        }
    }
}
