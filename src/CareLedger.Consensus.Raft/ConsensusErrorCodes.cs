namespace CareLedger.Consensus.Raft;

/// <summary>Stable codes for what a consortium node refuses.</summary>
public static class ConsensusErrorCodes
{
    /// <summary>No leader is known: fewer than a majority of nodes are reachable.</summary>
    public const string NoQuorum = "consensus.no_quorum";

    /// <summary>This node's chain disagrees with the certified majority; it stopped applying.</summary>
    public const string Diverged = "consensus.diverged";

    /// <summary>A request only the leader can serve reached another node.</summary>
    public const string NotLeader = "consensus.not_leader";

    /// <summary>The node runs solo; there is no network.</summary>
    public const string NotConsortium = "consensus.solo";
}
