using System.Net;
using CareLedger.Contracts.Identity;
using CareLedger.Core.Crypto;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.Network;

/// <summary>
/// Governance of the consortium's validator nodes. A governing organisation proposes a node
/// (<c>network.propose_node {name, organisation, csr, raft, api}</c>, with the node's PKCS#10 request from
/// <c>network join</c>: it proves the node holds its key and names the hosts its certificate will carry) or its removal
/// (<c>network.propose_removal {node}</c>); others approve (<c>network.approve {proposal}</c>); a majority
/// of governing organisations decides, as for new organisations. The Raft leader then changes the
/// Raft membership, one node at a time.
/// </summary>
public sealed class NetworkGovernance : IContract
{
    /// <summary>The list of approved nodes (active and removed).</summary>
    public const string NodesKey = "network/nodes";

    public string Name => "network";

    public bool Handles(string action) => action is "propose_node" or "propose_removal" or "approve";

    /// <summary>The state key of a proposal.</summary>
    public static string ProposalKey(string id) => $"network/proposal/{id}";

    public void Execute(ContractCall call)
    {
        switch (call.Action)
        {
            case "propose_node": ProposeNode(call); break;
            case "propose_removal": ProposeRemoval(call); break;
            case "approve": Approve(call); break;
        }
    }

    private static void ProposeNode(ContractCall call)
    {
        var proposer = IdentityContract.RequireGoverningOrganisation(call);
        var (key, hosts) = SigningRequest(call);
        using (key)
        {
            var publicKey = Convert.ToBase64String(key.SubjectPublicKeyInfo);
            if (call.Args.GetOptionalString("publicKey") is { } claimed && claimed != publicKey)
            {
                throw ContractCall.Reject(NetworkErrors.BadSigningRequest, "The signing request is for another key than publicKey.");
            }
            var node = new NodeRecord(call.Args.GetString("name"), call.Args.GetString("organisation"), key.Id.ToString(), publicKey,
                call.Args.GetString("raft"), call.Args.GetString("api"), "active");
            ProposeNode(call, proposer, node, hosts);
        }
    }

    // The request's signature proves the node holds the key; its names must include the Raft address, which is what peers dial.
    private static (PublicKey Key, IReadOnlyList<string> Hosts) SigningRequest(ContractCall call)
    {
        try
        {
            return NodeCertificate.ReadSigningRequest(Convert.FromBase64String(call.Args.GetString("csr")));
        }
        catch (FormatException ex)
        {
            throw ContractCall.Reject(NetworkErrors.BadSigningRequest, $"csr must be the node's PKCS#10 request (base64 DER) from 'network join': {ex.Message}");
        }
    }

    private static void ProposeNode(ContractCall call, string proposer, NodeRecord node, IReadOnlyList<string> hosts)
    {
        if (!IPEndPoint.TryParse(node.Raft, out var raft) || raft.Port == 0 || !Uri.TryCreate(node.Api, UriKind.Absolute, out _)
            || !Identifiers.IsValid(node.Organisation, "org") || call.State.Get(IdentityKeys.Organisation(node.Organisation)) is null)
        {
            throw ContractCall.Reject(NetworkErrors.BadNode, "A node needs a raft address ip:port, an absolute api URL and an existing organisation.");
        }
        if (!hosts.Contains(raft.Address.ToString()))
        {
            throw ContractCall.Reject(NetworkErrors.BadSigningRequest, $"The signing request does not name the node's Raft address {raft.Address}.");
        }
        if (Nodes(call.State).Any(n => n.NodeKey == node.NodeKey || (n.Status == "active" && n.Raft == node.Raft)))
        {
            throw ContractCall.Reject(NetworkErrors.AlreadyMember, $"Node key {node.NodeKey} or address {node.Raft} is already in the network.");
        }
        Decide(call, new NodeProposal(call.Transaction.Id.ToString(), "add", node, [proposer], "open"));
    }

    private static void ProposeRemoval(ContractCall call)
    {
        var proposer = IdentityContract.RequireGoverningOrganisation(call);
        var key = call.Args.GetString("node");
        var node = Nodes(call.State).FirstOrDefault(n => n.NodeKey == key && n.Status == "active")
            ?? throw ContractCall.Reject(NetworkErrors.UnknownNode, $"No active node with key {key} was approved by governance.");
        Decide(call, new NodeProposal(call.Transaction.Id.ToString(), "remove", node, [proposer], "open"));
    }

    private static void Approve(ContractCall call)
    {
        var approver = IdentityContract.RequireGoverningOrganisation(call);
        var id = call.Args.GetString("proposal");
        var proposal = StateJson.Read<NodeProposal>(call.State.Get(ProposalKey(id)))
            ?? throw ContractCall.Reject(NetworkErrors.UnknownProposal, $"No node proposal {id}.");
        if (proposal.Status != "open")
        {
            throw ContractCall.Reject(NetworkErrors.ProposalClosed, $"Proposal {id} is {proposal.Status}.");
        }
        if (proposal.Approvals.Contains(approver))
        {
            throw ContractCall.Reject(NetworkErrors.AlreadyApproved, $"{approver} already approved proposal {id}.");
        }
        Decide(call, proposal with { Approvals = [.. proposal.Approvals, approver] });
    }

    private static void Decide(ContractCall call, NodeProposal proposal)
    {
        var governance = StateJson.Read<GovernanceRecord>(call.State.Get(IdentityKeys.Governance))!;
        var approvals = proposal.Approvals.Count(governance.Governing.Contains);
        call.Emit("network.proposal_approved", ("proposal", proposal.Id), ("change", proposal.Change), ("node", proposal.Node.NodeKey),
            ("by", proposal.Approvals[^1]));
        if (approvals * 2 <= governance.Governing.Count)
        {
            call.State.Put(ProposalKey(proposal.Id), StateJson.Write(proposal));
            return;
        }
        call.State.Put(ProposalKey(proposal.Id), StateJson.Write(proposal with { Status = "accepted" }));
        var others = Nodes(call.State).Where(n => n.NodeKey != proposal.Node.NodeKey);
        var decided = proposal.Node with { Status = proposal.Change == "add" ? "active" : "removed" };
        call.State.Put(NodesKey, StateJson.Write(others.Append(decided).ToList()));
        call.Emit(proposal.Change == "add" ? "network.node_added" : "network.node_removed",
            ("node", decided.NodeKey), ("raft", decided.Raft), ("organisation", decided.Organisation));
    }

    /// <summary>Every node governance has decided on.</summary>
    public static IReadOnlyList<NodeRecord> Nodes(IStateReader state) => StateJson.Read<List<NodeRecord>>(state.Get(NodesKey)) ?? [];

    /// <summary>The active approved nodes.</summary>
    public static IEnumerable<NodeRecord> Approved(IStateReader state) => Nodes(state).Where(n => n.Status == "active");

    /// <summary>The keys of the active approved nodes (they sign headers).</summary>
    public static IEnumerable<PublicKey> ApprovedKeys(IStateReader state) =>
        Nodes(state).Where(n => n.Status == "active").Select(n => PublicKey.FromSubjectPublicKeyInfo(Convert.FromBase64String(n.PublicKey)));

    /// <summary>The keys of every node governance approved, removed ones too: the keys a stored header vote may be signed with.</summary>
    public static IEnumerable<PublicKey> EverApprovedKeys(IStateReader state) =>
        Nodes(state).Select(n => PublicKey.FromSubjectPublicKeyInfo(Convert.FromBase64String(n.PublicKey)));

    /// <summary>True when governance approved this node key and did not remove it.</summary>
    public static bool IsApproved(IStateReader state, KeyId nodeKey) => Nodes(state).Any(n => n.NodeKey == nodeKey.ToString() && n.Status == "active");
}
