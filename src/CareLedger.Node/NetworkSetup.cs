using System.Security.Cryptography.X509Certificates;
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
    /// <paramref name="tls"/>, also a consortium CA (its key in <c>raft-ca.key</c> under <paramref name="root"/>,
    /// for issuing certificates to nodes that join later) and a Raft certificate per node signed by it.
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
            };
            var dirs = nodes.Select((n, i) =>
            {
                var dir = DataDirectory.CreateWithKeys(Path.Combine(root, n.Name), nodeKeys[i], adminKeys[i]);
                File.WriteAllBytes(dir.GenesisPath, genesis.Encode());
                network.Write(dir.NetworkPath);
                return dir;
            }).ToList();
            if (tls)
            {
                using var authority = ConsortiumCertificates.CreateAuthority(chain, clock);
                var authorityKey = Path.Combine(root, "raft-ca.key");
                File.WriteAllText(authorityKey, authority.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
                DataDirectory.RestrictToOwner(authorityKey);
                for (var i = 0; i < dirs.Count; i++)
                {
                    File.WriteAllText(dirs[i].RaftAuthorityPath, authority.ExportCertificatePem());
                    File.WriteAllBytes(dirs[i].RaftCertificatePath, ConsortiumCertificates.IssueNode(authority, nodes[i].Name, network.Members[i].RaftEndPoint.Address, clock));
                    DataDirectory.RestrictToOwner(dirs[i].RaftCertificatePath);
                }
            }
            return new PreparedNetwork(network, dirs.Select(d => d.Root).ToList());
        }
        finally
        {
            nodeKeys.Concat(adminKeys).ToList().ForEach(k => k.Dispose());
        }
    }

    /// <summary>
    /// The data directory of a node that will join an existing network: the network's genesis and network
    /// file (with this node added, so it knows its own addresses), a fresh node key (to be approved by
    /// governance), and the organisation's key (copied from <paramref name="organisationKeyPath"/>, or fresh
    /// for an organisation governance has yet to admit).
    /// </summary>
    public static KeyId Join(string root, string genesisPath, string networkPath, NetworkMember self, string? organisationKeyPath = null)
    {
        _ = self.RaftEndPoint;
        var network = NetworkFile.Read(networkPath);
        using var nodeKey = SigningKey.Generate();
        using var adminKey = organisationKeyPath is null ? SigningKey.Generate() : SigningKey.FromPem(File.ReadAllText(organisationKeyPath));
        var dir = DataDirectory.CreateWithKeys(root, nodeKey, adminKey);
        File.Copy(genesisPath, dir.GenesisPath);
        (network with { Members = [.. network.Members, self with { NodeKey = nodeKey.Id.ToString() }] }).Write(dir.NetworkPath);
        return nodeKey.Id;
    }
}

/// <summary>The network <see cref="NetworkSetup.Create"/> prepared, and the directories it wrote.</summary>
public sealed record PreparedNetwork(NetworkFile Network, IReadOnlyList<string> Directories);
