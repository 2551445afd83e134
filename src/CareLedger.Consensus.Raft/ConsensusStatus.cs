namespace CareLedger.Consensus.Raft;

/// <summary>What <c>GET /api/v1/consensus</c> shows about this node's view of the network.</summary>
public sealed record ConsensusStatus(
    string Mode,
    string Node,
    string? Leader,
    bool IsLeader,
    long Term,
    long CommitIndex,
    long AppliedIndex,
    long Height,
    long? CertifiedHeight,
    int Majority,
    IReadOnlyList<string> Members,
    IReadOnlyList<FaultView> FaultyValidators,
    DivergenceView? Divergence,
    string Transport = "none",
    string PeerAuthentication = "none",
    long RefusedPeerHandshakes = 0,
    IReadOnlyList<PeerView>? Peers = null);

/// <summary>A Raft member as the ledger and network file name it: who runs it, its validator key and addresses.</summary>
public sealed record PeerView(string Name, string Organisation, string NodeKey, string Raft, string Api);

/// <summary>A validator's vote for a header the majority did not certify (its signature is the evidence).</summary>
public sealed record FaultView(string Validator, long Height, string TheirHeader, string Signature);

/// <summary>This node's own header against the certified one, with the majority's signatures.</summary>
public sealed record DivergenceView(long Height, string OwnHeader, string MajorityHeader, IReadOnlyList<string> MajoritySigners);
