using CareLedger.Core.Ledger;

namespace CareLedger.Ledger.Ordering;

/// <summary>
/// Turns admitted transactions into ordered batches. <c>solo</c> orders its own mempool; a Raft
/// implementation replicates batches first. Execution never knows which one it is fed by.
/// </summary>
public interface IOrderingService
{
    /// <summary>Offers an admitted transaction for ordering; false when the queue is full.</summary>
    bool TryEnqueue(Transaction transaction);

    /// <summary>The ordered batches, each exactly once, in order.</summary>
    IAsyncEnumerable<OrderedBatch> ReadBatchesAsync(CancellationToken cancellationToken);
}
