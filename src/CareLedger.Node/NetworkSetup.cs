using System.Security.Cryptography;
using CareLedger.Consensus.Raft;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;

namespace CareLedger.Node;

/// <summary>
/// Prepares consortium nodes' data directories (<c>careledger network init</c> and <c>network join</c>).
/// </summary>
public static class NetworkSetup
{
    /// <summary>
    /// One data directory per node of a new consortium: each with its own node and organisation keys, all
    /// with the same genesis (every node a validator, every organisation governing) and network file. With
    /// <paramref name="tls"/>, the network file turns on mutual TLS between nodes: each presents a certificate for its
    /// node key, and no CA key exists to keep (docs/adr/0012-raft-peers-are-ledger-validators.md).
    /// </summary>
    public static PreparedNetwork Create(string root, string chain, IReadOnlyList<(string Name, string Organisation, string Raft, string Api)> nodes,
        TimeProvider clock, bool tls = false)
    {
        var nodeKeys = nodes.Select(_ => SigningKey.Generate()).ToList();
        var adminKeys = nodes.Select(_ => SigningKey.Generate()).ToList();
        try
        {
            var genesis = new GenesisDocument
            {
                Chain = chain,
                Timestamp = clock.GetUtcNow().ToUnixTimeMilliseconds(),
                Validators = nodeKeys.Select(k => k.PublicKey.SubjectPublicKeyInfo.ToArray()).ToList(),
                Organisations = nodes.Select((n, i) => new GenesisOrganisation(n.Organisation, "Hospital", true,
                    [adminKeys[i].PublicKey.SubjectPublicKeyInfo.ToArray()])).ToList(),
            };
            var network = new NetworkFile
            {
                Chain = chain,
                Members = nodes.Select((n, i) => new NetworkMember(n.Name, n.Organisation, nodeKeys[i].Id.ToString(), n.Raft, n.Api)).ToList(),
                Tls = tls,
            };
            var dirs = nodes.Select((n, i) =>
            {
                var dir = DataDirectory.CreateWithKeys(Path.Combine(root, n.Name), nodeKeys[i], adminKeys[i]);
                File.WriteAllBytes(dir.GenesisPath, genesis.Encode());
                network.Write(dir.NetworkPath);
                return dir;
            }).ToList();
            return new PreparedNetwork(network, dirs.Select(d => d.Root).ToList());
        }
        finally
        {
            nodeKeys.Concat(adminKeys).ToList().ForEach(k => k.Dispose());
        }
    }

    /// <summary>
    /// The data directory of a node that will join an existing network: the network's genesis and network
    /// file (with this node added, so it knows its own addresses), a fresh node key, the organisation's key (copied from
    /// <paramref name="organisationKeyPath"/>, or fresh for an organisation governance has yet to admit), and
    /// <c>keys/raft.csr</c>: a PKCS#10 request signed by the node key naming its hosts, which a governing organisation
    /// proposes (<c>network.propose_node</c>) and the others approve. The approval is all the node needs to be accepted.
    /// </summary>
    public static JoinRequest Join(string root, string genesisPath, string networkPath, NetworkMember self, string? organisationKeyPath = null)
    {
        _ = self.RaftEndPoint;
        var network = NetworkFile.Read(networkPath);
        using var nodeKey = SigningKey.Generate();
        using var adminKey = organisationKeyPath is null ? SigningKey.Generate() : SigningKey.FromPem(File.ReadAllText(organisationKeyPath));
        var dir = DataDirectory.CreateWithKeys(root, nodeKey, adminKey);
        File.Copy(genesisPath, dir.GenesisPath);
        var member = self with { NodeKey = nodeKey.Id.ToString() };
        (network with { Members = [.. network.Members, member] }).Write(dir.NetworkPath);
        var request = NodeCertificate.CreateSigningRequest(nodeKey, member.Name, member.Hosts);
        File.WriteAllText(dir.RaftSigningRequestPath, PemEncoding.WriteString("CERTIFICATE REQUEST", request));
        return new JoinRequest(nodeKey.Id, Convert.ToBase64String(nodeKey.PublicKey.SubjectPublicKeyInfo), request);
    }
}

/// <summary>What a joining node hands to governance: its node key and its signing request (DER).</summary>
public sealed record JoinRequest(KeyId NodeKey, string PublicKey, byte[] SigningRequest)
{
    /// <summary>The arguments of the <c>network.propose_node</c> transaction that proposes this node at <paramref name="member"/>'s addresses, as JSON.</summary>
    public string ProposalArgs(NetworkMember member) => System.Text.Json.JsonSerializer.Serialize(Proposal(member));

    /// <summary>The same arguments as an object (for printing them within a larger answer).</summary>
    public object Proposal(NetworkMember member) => new
    {
        name = member.Name,
        organisation = member.Organisation,
        publicKey = PublicKey,
        raft = member.Raft,
        api = member.Api,
        csr = Convert.ToBase64String(SigningRequest),
    };
}

/// <summary>The network <see cref="NetworkSetup.Create"/> prepared, and the directories it wrote.</summary>
public sealed record PreparedNetwork(NetworkFile Network, IReadOnlyList<string> Directories);
