using CareLedger.Contracts.Identity;
using CareLedger.Contracts.Network;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Testing;

namespace CareLedger.Ledger.Tests.Contracts;

public class NetworkGovernanceTests
{
    private static TransactionResult Only(Block block) => Assert.Single(block.Results);

    // The proposal carries the node's PKCS#10 request, as 'network join' writes it (its names: the Raft IP and the API host).
    private static string Propose(SigningKey node, string raft = "10.0.0.4:7001", string organisation = "org:founder-0", string[]? names = null, string? csr = null) =>
        $$"""{"name":"node4","organisation":"{{organisation}}","csr":"{{csr ?? Csr(node, names)}}","raft":"{{raft}}","api":"https://node4.example"}""";

    private static string Csr(SigningKey node, string[]? names = null) =>
        Convert.ToBase64String(NodeCertificate.CreateSigningRequest(node, "node4", names ?? ["10.0.0.4", "node4.example"]));

    [Fact]
    public void A_node_is_added_once_a_majority_of_governing_organisations_approves_and_removed_the_same_way()
    {
        using var chain = TestChain.InMemory(governingOrganisations: 3);
        using var node = SigningKey.Generate();
        var proposal = chain.Sign(chain.OrgKeys[0], "network.propose_node", Propose(node));
        Assert.Equal(TransactionStatus.Committed, Only(chain.Commit(proposal)).Status);
        Assert.False(NetworkGovernance.IsApproved(chain.Engine.State, node.Id));

        var twice = chain.Sign(chain.OrgKeys[0], "network.approve", $$"""{"proposal":"{{proposal.Id}}"}""");
        Assert.Equal(NetworkErrors.AlreadyApproved, Only(chain.Commit(twice)).Code);
        var approved = Only(chain.Commit(chain.Sign(chain.OrgKeys[1], "network.approve", $$"""{"proposal":"{{proposal.Id}}"}""")));
        Assert.Contains(approved.Events, e => e.Type == "network.node_added" && e.Attributes["raft"] == "10.0.0.4:7001");
        Assert.True(NetworkGovernance.IsApproved(chain.Engine.State, node.Id));
        Assert.Equal(node.Id, Assert.Single(NetworkGovernance.ApprovedKeys(chain.Engine.State)).Id);
        var late = chain.Sign(chain.OrgKeys[2], "network.approve", $$"""{"proposal":"{{proposal.Id}}"}""");
        Assert.Equal(NetworkErrors.ProposalClosed, Only(chain.Commit(late)).Code);

        var again = chain.Sign(chain.OrgKeys[1], "network.propose_node", Propose(node, raft: "10.0.0.5:7001", names: ["10.0.0.5"]));
        Assert.Equal(NetworkErrors.AlreadyMember, Only(chain.Commit(again)).Code);

        var removal = chain.Sign(chain.OrgKeys[2], "network.propose_removal", $$"""{"node":"{{node.Id}}"}""");
        Assert.Equal(TransactionStatus.Committed, Only(chain.Commit(removal)).Status);
        Assert.True(NetworkGovernance.IsApproved(chain.Engine.State, node.Id));
        var removed = Only(chain.Commit(chain.Sign(chain.OrgKeys[0], "network.approve", $$"""{"proposal":"{{removal.Id}}"}""")));
        Assert.Contains(removed.Events, e => e.Type == "network.node_removed");
        Assert.False(NetworkGovernance.IsApproved(chain.Engine.State, node.Id));
        Assert.Empty(NetworkGovernance.ApprovedKeys(chain.Engine.State));

        // The removed node's signing request is on the ledger for anyone to copy: proposing it again does not bring the node
        // back, and the signed proposal itself, replayed, is dropped from the block (a transaction id is on the ledger once; the
        // API refuses it earlier with tx.replay, TransactionAdmissionTests).
        Assert.Equal(NetworkErrors.AlreadyMember, Only(chain.Commit(chain.Sign(chain.OrgKeys[1], "network.propose_node", Propose(node)))).Code);
        Assert.Empty(chain.Commit(proposal).Results);
        Assert.False(NetworkGovernance.IsApproved(chain.Engine.State, node.Id));
    }

    [Fact]
    public void Bad_proposals_are_refused_with_stable_codes_and_write_nothing()
    {
        using var chain = TestChain.InMemory(governingOrganisations: 2);
        using var node = SigningKey.Generate();
        using var outsider = SigningKey.Generate();
        var before = chain.Engine.State.Get(NetworkGovernance.NodesKey);

        Assert.Equal(LedgerErrorCodes.UnknownSigner, Only(chain.Commit(chain.Sign(outsider, "network.propose_node", Propose(node)))).Code);
        // A member of a governing organisation is not the organisation: it may neither propose nor approve.
        using var clinician = SigningKey.Generate();
        Assert.Equal(TransactionStatus.Committed, Only(chain.Commit(chain.Sign(chain.OrgKeys[0], "identity.enrol_member",
            $$"""{"member":"member:dr-x","roles":["clinician"],"publicKey":"{{Convert.ToBase64String(clinician.PublicKey.SubjectPublicKeyInfo)}}"}"""))).Status);
        Assert.Equal(IdentityErrors.NotAuthorised, Only(chain.Commit(chain.Sign(clinician, "network.propose_node", Propose(node)))).Code);
        var open = chain.Sign(chain.OrgKeys[0], "network.propose_node", Propose(node));
        Assert.Equal(TransactionStatus.Committed, Only(chain.Commit(open)).Status);
        Assert.Equal(IdentityErrors.NotAuthorised, Only(chain.Commit(chain.Sign(clinician, "network.approve", $$"""{"proposal":"{{open.Id}}"}"""))).Code);
        Assert.Equal(NetworkErrors.BadNode, Only(chain.Commit(chain.Sign(chain.OrgKeys[0], "network.propose_node", Propose(node, raft: "not-an-address")))).Code);
        Assert.Equal(NetworkErrors.BadNode, Only(chain.Commit(chain.Sign(chain.OrgKeys[0], "network.propose_node", Propose(node, organisation: "org:nobody")))).Code);
        Assert.Equal(NetworkErrors.BadSigningRequest, Only(chain.Commit(chain.Sign(chain.OrgKeys[0], "network.propose_node", Propose(node, csr: "AAAA")))).Code);
        Assert.Equal(NetworkErrors.BadSigningRequest, Only(chain.Commit(chain.Sign(chain.OrgKeys[0], "network.propose_node", Propose(node, csr: "not base64!")))).Code);
        // Someone else's key with a request the proposer made with its own key: the request's key is what is proposed, and a
        // publicKey that names another is refused.
        Assert.Equal(NetworkErrors.BadSigningRequest, Only(chain.Commit(chain.Sign(chain.OrgKeys[0], "network.propose_node",
            $$"""{"name":"n","organisation":"org:founder-0","publicKey":"{{Convert.ToBase64String(outsider.PublicKey.SubjectPublicKeyInfo)}}","csr":"{{Csr(node)}}","raft":"10.0.0.4:7001","api":"https://n.example"}"""))).Code);
        // A request whose signature does not verify (a name changed after signing) proves nothing about the key.
        var forged = NodeCertificate.CreateSigningRequest(node, "node4", ["10.0.0.4"]);
        var at = forged.AsSpan().IndexOf(new byte[] { 10, 0, 0, 4 });
        forged[at + 3] = 5;
        Assert.Equal(NetworkErrors.BadSigningRequest, Only(chain.Commit(chain.Sign(chain.OrgKeys[0], "network.propose_node",
            Propose(node, raft: "10.0.0.5:7001", csr: Convert.ToBase64String(forged))))).Code);
        // Its names must include the Raft address peers dial.
        Assert.Equal(NetworkErrors.BadSigningRequest, Only(chain.Commit(chain.Sign(chain.OrgKeys[0], "network.propose_node", Propose(node, names: ["10.9.9.9"])))).Code);
        Assert.Equal(NetworkErrors.UnknownProposal, Only(chain.Commit(chain.Sign(chain.OrgKeys[1], "network.approve", """{"proposal":"nope"}"""))).Code);
        Assert.Equal(NetworkErrors.UnknownNode, Only(chain.Commit(chain.Sign(chain.OrgKeys[1], "network.propose_removal", $$"""{"node":"{{node.Id}}"}"""))).Code);
        Assert.Equal(before, chain.Engine.State.Get(NetworkGovernance.NodesKey));
        Assert.Null(chain.Engine.State.Get(IdentityKeys.Key(node.Id)));
    }
}
