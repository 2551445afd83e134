using System.Runtime.CompilerServices;
using System.Threading.Channels;
using CareLedger.Core.Ledger;

namespace CareLedger.Ledger.Ordering;

/// <summary>
/// Single-node ordering: the node's own mempool, cut into blocks by count, bytes or wait; with no wait
/// (<see cref="BlockCutOptions.GroupCommit"/>) a block holds what was queued when the engine asked for it.
/// </summary>
public sealed class SoloOrderingService(BlockCutOptions options, TimeProvider clock) : IOrderingService
{
    private readonly Channel<Transaction> _mempool = Channel.CreateUnbounded<Transaction>(new UnboundedChannelOptions { SingleReader = true });
    private long _lastTimestamp;

    public bool TryEnqueue(Transaction transaction) => _mempool.Writer.TryWrite(transaction);

    public async IAsyncEnumerable<OrderedBatch> ReadBatchesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = _mempool.Reader;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            var batch = new List<Transaction>();
            var bytes = 0;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.MaxWait);
            while (batch.Count < options.MaxTransactions && bytes < options.MaxBytes)
            {
                if (reader.TryRead(out var tx))
                {
                    batch.Add(tx);
                    bytes += tx.Encoded.Length;
                    continue;
                }
                if (options.MaxWait <= BlockCutOptions.GroupCommit)
                {
                    break;
                }
                try
                {
                    if (!await reader.WaitToReadAsync(deadline.Token))
                    {
                        break;
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }
            if (batch.Count > 0)
            {
                yield return new OrderedBatch(NextTimestamp(), batch);
            }
        }
    }

    // Block time never goes backwards, even if the wall clock does.
    private long NextTimestamp()
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        _lastTimestamp = Math.Max(now, _lastTimestamp + 1);
        return _lastTimestamp;
    }

    /// <summary>Sets the floor for the next timestamp (the head's, at start-up).</summary>
    public void StartAfter(long headTimestamp) => _lastTimestamp = headTimestamp;
}
