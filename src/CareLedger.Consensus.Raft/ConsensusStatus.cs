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
    string Transport = "none");

/// <summary>A validator's vote for a header the majority did not certify (its signature is the evidence).</summary>
public sealed record FaultView(string Validator, long Height, string TheirHeader, string Signature);

/// <summary>This node's own header against the certified one, with the majority's signatures.</summary>
public sealed record DivergenceView(long Height, string OwnHeader, string MajorityHeader, IReadOnlyList<string> MajoritySigners);
