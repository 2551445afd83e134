using System.Net;
using CareLedger.Core.Crypto;
using CareLedger.Ledger.Ordering;

namespace CareLedger.Consensus.Raft;

/// <summary>How this node takes part in a Raft network.</summary>
public sealed record RaftSettings
{
    /// <summary>This node's name, for logs and status.</summary>
    public required string Name { get; init; }

    /// <summary>Where this node's Raft transport listens.</summary>
    public required IPEndPoint Listen { get; init; }

    /// <summary>The Raft members known at start-up (founding members and governance-approved nodes); empty for a node waiting to be added.</summary>
    public required IReadOnlyList<IPEndPoint> Members { get; init; }

    /// <summary>
    /// Every node the network file and the ledger's governance name (founders and governance-approved nodes, removals
    /// applied): the leader brings the Raft configuration to these, one node at a time; status and logs name members by it.
    /// </summary>
    public required Func<IReadOnlyList<NetworkMember>> Directory { get; init; }

    /// <summary>The validators' keys (header signers) in force.</summary>
    public required Func<IReadOnlyDictionary<KeyId, PublicKey>> Validators { get; init; }

    /// <summary>Directory of the Raft write-ahead log.</summary>
    public required string LogDirectory { get; init; }

    /// <summary>Mutual TLS for the Raft transport; null for plain TCP (one machine, or a private network).</summary>
    public RaftTls? Tls { get; init; }

    /// <summary>How the leader cuts batches.</summary>
    public BlockCutOptions Cut { get; init; } = new();

    /// <summary>Raft election timeout range, milliseconds.</summary>
    public int LowerElectionTimeout { get; init; } = 600;

    /// <summary>Raft election timeout range, milliseconds.</summary>
    public int UpperElectionTimeout { get; init; } = 1200;

    /// <summary>
    /// How long one Raft request (a vote, an append, a connect) may take before its peer counts as unavailable, milliseconds. It must
    /// be well below <see cref="LowerElectionTimeout"/>: a candidate waits for every voter's answer within its election timeout, so
    /// while one peer's link hangs (a partition drops packets; nothing is refused) a longer request timeout cancels every election
    /// and the connected majority never elects a leader.
    /// </summary>
    public int RequestTimeout { get; init; } = 300;
}
