using System.Collections.Concurrent;
using System.Diagnostics;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;

namespace CareLedger.Node.Operations;

/// <summary>
/// Traces (activity source <c>CareLedger.Node</c>): under the HTTP request's span, <c>careledger.admission</c> (checks and queueing)
/// and <c>careledger.commit</c> (the wait for the block); each committed block is a <c>careledger.block</c> span linked to the
/// admission spans of its transactions. Attributes are types, codes, heights and counts: never a party, record or key.
/// Spans exist only while someone listens (an OTLP exporter, a test), so a node without tracing pays nothing.
/// </summary>
public sealed class NodeTracing
{
    public const string SourceName = "CareLedger.Node";

    public static readonly ActivitySource Source = new(SourceName);

    // Admission contexts of transactions not yet in a block, for the block span's links; bounded so a stalled ledger cannot grow it.
    private const int MaxPending = 100_000;
    private readonly ConcurrentDictionary<Hash, ActivityContext> _admitted = new();

    /// <summary>Remembers the current admission span for <paramref name="transaction"/>'s block span.</summary>
    public void Admitted(Transaction transaction)
    {
        if (Activity.Current is { } admission && admission.Source == Source && _admitted.Count < MaxPending)
        {
            _admitted.TryAdd(transaction.Id, admission.Context);
        }
    }

    /// <summary>Records the block's span, linked to its transactions' admissions.</summary>
    public void Committed(Block block)
    {
        if (_admitted.IsEmpty && !Source.HasListeners())
        {
            return;
        }
        var links = new List<ActivityLink>();
        foreach (var tx in block.Transactions)
        {
            if (_admitted.TryRemove(tx.Id, out var context))
            {
                links.Add(new ActivityLink(context));
            }
        }
        using var span = Source.StartActivity("careledger.block", ActivityKind.Internal, parentContext: default,
            [new("careledger.block.height", block.Header.Height), new("careledger.block.transactions", block.Transactions.Count)], links);
    }
}
