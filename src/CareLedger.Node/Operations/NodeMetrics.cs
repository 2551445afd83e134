using System.Diagnostics.Metrics;

namespace CareLedger.Node.Operations;

/// <summary>
/// The node's instruments (meter <c>CareLedger.Node</c>). Counters are shared by the process; the gauges read one node's state
/// and live as long as its host (<see cref="NodeGauges"/>). Tags are outcomes and codes only, never a patient, record or key.
/// </summary>
public static class NodeMetrics
{
    public const string MeterName = "CareLedger.Node";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Gatekeeper decisions: <c>action</c> read or create, <c>outcome</c> permit, deny or not_logged (the access entry did not commit).</summary>
    public static readonly Counter<long> GatekeeperDecisions = Meter.CreateCounter<long>("careledger.gatekeeper.decisions", "{decision}",
        "Gatekeeper decisions, by action and outcome.");

    internal static void Decided(string action, string outcome) =>
        GatekeeperDecisions.Add(1, new KeyValuePair<string, object?>("action", action), new KeyValuePair<string, object?>("outcome", outcome));
}

/// <summary>One node's gauges: mempool depth and head height, and in a consortium the Raft term, the commit-to-apply lag and the certified height.</summary>
public sealed class NodeGauges : IDisposable
{
    private readonly Meter _meter;

    public NodeGauges(IMeterFactory meters, LedgerNode node)
    {
        _meter = meters.Create(NodeMetrics.MeterName);
        _meter.CreateObservableGauge("careledger.mempool.depth", () => node.Pending.Count, "{transaction}", "Admitted transactions not yet in a block.");
        _meter.CreateObservableGauge("careledger.ledger.height", () => node.Engine.Head.Header.Height, "{block}", "Height of the last committed block.");
        if (node.Raft is { } raft)
        {
            _meter.CreateObservableGauge("careledger.raft.term", () => raft.Status().Term, "{term}", "The Raft term this node is in.");
            _meter.CreateObservableGauge("careledger.raft.apply_lag", () => Lag(raft.Status()), "{entry}", "Committed Raft entries this node has not applied yet.");
            _meter.CreateObservableGauge("careledger.raft.certified_height", () => raft.Status().CertifiedHeight ?? 0, "{block}",
                "The highest block a majority of validators signed.");
            _meter.CreateObservableGauge("careledger.raft.is_leader", () => raft.IsLeader ? 1 : 0, "{bool}", "1 while this node leads.");
        }
    }

    private static long Lag(CareLedger.Consensus.Raft.ConsensusStatus status) => Math.Max(0, status.CommitIndex - status.AppliedIndex);

    public void Dispose() => _meter.Dispose();
}
