using System.Security.Cryptography.X509Certificates;
using CareLedger.Consensus.Raft;
using CareLedger.Contracts.Network;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Ledger.Execution;
using PublicKey = CareLedger.Core.Crypto.PublicKey;

namespace CareLedger.Node;

/// <summary>
/// Who this node is in its consortium and who the others are: the network file for the founding nodes'
/// addresses, the genesis for the founding validators, and the ledger's governance records for nodes
/// approved since.
/// </summary>
internal static class Consortium
{
    /// <summary>The Raft settings of this node.</summary>
    public static RaftSettings Settings(DataDirectory data, NodeOptions options, GenesisDocument genesis, SigningKey nodeKey, IStateReader state)
    {
        var network = ReadNetwork(data, options, genesis);
        var founding = genesis.ValidatorKeys();
        var self = Self(network, state, nodeKey.Id) ?? throw new FormatException(
            $"Node key {nodeKey.Id} is neither in {NetworkPath(data, options)} nor approved by the network's governance; ask the members to approve it.");
        var isFounder = founding.ContainsKey(nodeKey.Id);
        var validators = ValidatorsOf(founding, state);
        return new RaftSettings
        {
            Name = self.Name,
            Listen = self.RaftEndPoint,
            // A founder knows the founding members and every node approved since; a newcomer knows no one
            // until the leader adds it (it then hears of the members from the leader).
            Members = isFounder || NetworkGovernance.IsApproved(state, nodeKey.Id)
                ? Members(network, state).Select(m => m.RaftEndPoint).ToList()
                : [],
            Directory = () => Members(network, state).ToList(),
            Validators = validators,
            LogDirectory = data.RaftLogPath,
            Tls = Tls(network, options, nodeKey, self, validators),
            Cut = options.BlockCut,
        };
    }

    /// <summary>The API of the node run by an organisation (the first listed), for reaching records in its vault.</summary>
    public static Func<string, string?> OrganisationApis(DataDirectory data, NodeOptions options, GenesisDocument genesis, IStateReader state)
    {
        var network = ReadNetwork(data, options, genesis);
        return organisation => Members(network, state).FirstOrDefault(m => m.Organisation == organisation)?.Api;
    }

    /// <summary>Every organisation that runs a node, with that node's API (the first listed per organisation).</summary>
    public static Func<IReadOnlyList<(string Organisation, string Api)>> OrganisationNodes(DataDirectory data, NodeOptions options, GenesisDocument genesis, IStateReader state)
    {
        var network = ReadNetwork(data, options, genesis);
        return () => Members(network, state).DistinctBy(m => m.Organisation).Select(m => (m.Organisation, m.Api)).ToList();
    }

    /// <summary>The API URL this node serves, from the network file (Raft mode without an explicit --urls).</summary>
    public static string? ApiUrl(NodeOptions options)
    {
        var data = DataDirectory.Existing(options.DataDirectory, requireLedger: false);
        var network = ReadNetwork(data, options, data.ReadGenesis());
        using var key = data.ReadNodeKey();
        return network.Find(key.Id)?.Api;
    }

    private static NetworkMember? Self(NetworkFile network, IStateReader state, KeyId nodeKey) =>
        network.Find(nodeKey) ?? Approved(state).FirstOrDefault(m => m.NodeKey == nodeKey.ToString());

    private static IEnumerable<NetworkMember> Members(NetworkFile network, IStateReader state) =>
        network.Members.Concat(Approved(state)).DistinctBy(m => m.NodeKey);

    private static IEnumerable<NetworkMember> Approved(IStateReader state) =>
        NetworkGovernance.Approved(state).Select(n => new NetworkMember(n.Name, n.Organisation, n.NodeKey, n.Raft, n.Api));

    // The founding validators and the nodes governance approved since. Keys are parsed once per change of
    // the approved list, not per call: certification asks for them with every votes entry.
    private static Func<IReadOnlyDictionary<KeyId, PublicKey>> ValidatorsOf(IReadOnlyDictionary<KeyId, PublicKey> founding, IStateReader state)
    {
        (byte[]? Source, IReadOnlyDictionary<KeyId, PublicKey> Keys) memo = (null, founding);
        return () =>
        {
            var approved = state.Get(NetworkGovernance.NodesKey);
            var current = memo;
            if (approved is null || (current.Source is not null && approved.AsSpan().SequenceEqual(current.Source)))
            {
                return current.Keys;
            }
            var keys = new Dictionary<KeyId, PublicKey>(founding);
            foreach (var key in NetworkGovernance.ApprovedKeys(state))
            {
                keys[key.Id] = key;
            }
            memo = (approved, keys);
            return keys;
        };
    }

    // Raft TLS is on when the network file says so ('network init --tls'): the node presents a certificate for its own node
    // key, made at each start with its Raft and API hosts as names. A consortium with its own PKI gives the node a
    // certificate its CA issued for the node key (--raft-certificate) and the CA (--raft-ca). Either way a peer is accepted
    // only while its key is a current validator's (RaftTls).
    private static RaftTls? Tls(NetworkFile network, NodeOptions options, SigningKey nodeKey, NetworkMember self,
        Func<IReadOnlyDictionary<KeyId, PublicKey>> validators)
    {
        if (options.RaftCertificate is null && options.RaftAuthority is null)
        {
            return network.Tls
                ? new RaftTls(NodeCertificate.CreateSelfSigned(nodeKey, self.Name, self.Hosts, TimeProvider.System), validators)
                : null;
        }
        if (options.RaftCertificate is null || options.RaftAuthority is null)
        {
            throw new FormatException("Raft TLS with the consortium's own CA needs both --raft-certificate (this node's PKCS#12) and --raft-ca (the CA, PEM).");
        }
        var password = options.RaftCertificatePasswordEnv is { } env ? Environment.GetEnvironmentVariable(env) : null;
        X509Certificate2 certificate;
        X509Certificate2 authority;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(options.RaftCertificate, password);
            authority = X509Certificate2.CreateFromPem(File.ReadAllText(options.RaftAuthority));
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new FormatException($"Cannot load the Raft TLS certificate or CA: {ex.Message}", ex);
        }
        using var key = NodeCertificate.PublicKeyOf(certificate);
        if (key.Id != nodeKey.Id)
        {
            throw new FormatException($"The Raft certificate {options.RaftCertificate} is for key {key.Id}, not this node's key {nodeKey.Id}: have the CA sign this node's request (keys/raft.csr).");
        }
        return new RaftTls(certificate, validators, authority);
    }

    private static string NetworkPath(DataDirectory data, NodeOptions options) => options.Network ?? data.NetworkPath;

    private static NetworkFile ReadNetwork(DataDirectory data, NodeOptions options, GenesisDocument genesis)
    {
        var path = NetworkPath(data, options);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Raft mode needs the network file {path} (see 'careledger network init').");
        }
        var network = NetworkFile.Read(path);
        if (network.Chain != genesis.Chain)
        {
            throw new FormatException($"{path} describes chain '{network.Chain}', but this node's genesis is for '{genesis.Chain}'.");
        }
        return network;
    }
}
