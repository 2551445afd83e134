using System.Diagnostics.Metrics;

namespace CareLedger.Ledger;

/// <summary>
/// The ledger's instruments (meter <c>CareLedger.Ledger</c>): admission outcomes by stable code, and per block its size and how long
/// execution and the durable write took. Tags are codes and counts only, never an identity or a key.
/// </summary>
public static class LedgerMetrics
{
    public const string MeterName = "CareLedger.Ledger";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Admission decisions: <c>outcome</c> is <c>accepted</c> or the refusal's code (<c>tx.replay</c>, <c>tx.bad_signature</c>, …).</summary>
    public static readonly Counter<long> Admissions = Meter.CreateCounter<long>("careledger.admission.decisions", "{transaction}",
        "Transactions admitted or refused, by outcome.");

    public static readonly Histogram<int> BlockTransactions = Meter.CreateHistogram<int>("careledger.block.transactions", "{transaction}",
        "Transactions per committed block.", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] });

    public static readonly Histogram<double> BlockExecution = Meter.CreateHistogram<double>("careledger.block.execution.duration", "s",
        "Executing a block and signing its header.", advice: Seconds);

    public static readonly Histogram<double> BlockCommit = Meter.CreateHistogram<double>("careledger.block.commit.duration", "s",
        "Writing a block durably: one SQL transaction, fsync included.", advice: Seconds);

    private static InstrumentAdvice<double> Seconds => new() { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5] };
}
