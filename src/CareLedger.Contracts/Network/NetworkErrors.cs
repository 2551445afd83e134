namespace CareLedger.Contracts.Network;

/// <summary>Stable rejection codes of the network governance contract.</summary>
public static class NetworkErrors
{
    public const string BadNode = "network.bad_node";
    public const string BadSigningRequest = "network.bad_signing_request";
    public const string AlreadyMember = "network.already_member";
    public const string UnknownNode = "network.unknown_node";
    public const string UnknownProposal = "network.unknown_proposal";
    public const string ProposalClosed = "network.proposal_closed";
    public const string AlreadyApproved = "network.already_approved";
}
