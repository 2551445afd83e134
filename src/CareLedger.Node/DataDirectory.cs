using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;

namespace CareLedger.Node;

/// <summary>
/// The node's files: <c>ledger.db</c> (SQLite), <c>genesis.cbor</c>, <c>keys/node.key</c> (the node's
/// validator key) and <c>keys/admin.key</c> (the founding organisation's key, for the CLI). A new
/// directory gets fresh keys and a single-organisation genesis.
/// </summary>
public sealed class DataDirectory
{
    private DataDirectory(string root) => Root = Path.GetFullPath(root);

    /// <summary>Absolute path.</summary>
    public string Root { get; }

    /// <summary>The SQLite file.</summary>
    public string LedgerPath => Path.Combine(Root, "ledger.db");

    /// <summary>The genesis document.</summary>
    public string GenesisPath => Path.Combine(Root, "genesis.cbor");

    /// <summary>The node's validator key.</summary>
    public string NodeKeyPath => Path.Combine(Root, "keys", "node.key");

    /// <summary>The founding organisation's key.</summary>
    public string AdminKeyPath => Path.Combine(Root, "keys", "admin.key");

    /// <summary>Opens a data directory, initialising it when it holds no genesis yet.</summary>
    public static DataDirectory OpenOrInitialise(string root, string chain, TimeProvider clock)
    {
        var dir = new DataDirectory(root);
        if (!File.Exists(dir.GenesisPath))
        {
            dir.Initialise(chain, clock);
        }
        return dir;
    }

    /// <summary>The consortium's network file (Raft mode).</summary>
    public string NetworkPath => Path.Combine(Root, "network.json");

    /// <summary>This node's Raft TLS certificate with its key (PKCS#12), when the network uses TLS.</summary>
    public string RaftCertificatePath => Path.Combine(Root, "keys", "raft.pfx");

    /// <summary>The consortium CA certificate (PEM) peers' Raft certificates must chain to.</summary>
    public string RaftAuthorityPath => Path.Combine(Root, "raft-ca.pem");

    /// <summary>The Raft write-ahead log (Raft mode).</summary>
    public string RaftLogPath => Path.Combine(Root, "raft");

    /// <summary>
    /// Opens an existing data directory (no initialisation): for offline tools, and for consortium nodes,
    /// whose directory <c>careledger network init</c> prepared (the ledger is created on first start).
    /// </summary>
    public static DataDirectory Existing(string root, bool requireLedger = true)
    {
        var dir = new DataDirectory(root);
        if (!File.Exists(dir.GenesisPath) || (requireLedger && !File.Exists(dir.LedgerPath)))
        {
            throw new FileNotFoundException($"{dir.Root} is not a CareLedger data directory (no genesis.cbor{(requireLedger ? " or ledger.db" : "")}).");
        }
        return dir;
    }

    /// <summary>
    /// Prepares one data directory per node of a new consortium: each with its own node and organisation
    /// keys, all with the same genesis (every node a validator, every organisation governing) and network file.
    /// </summary>
    /// With <paramref name="tls"/>, also a consortium CA (its key in <c>raft-ca.key</c> under <paramref name="root"/>,
    /// for issuing certificates to nodes that join later) and a Raft certificate per node signed by it.
    public static NetworkFileWritten InitialiseNetwork(string root, string chain, IReadOnlyList<(string Name, string Organisation, string Raft, string Api)> nodes,
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
            var network = new Consensus.Raft.NetworkFile
            {
                Chain = chain,
                Members = nodes.Select((n, i) => new Consensus.Raft.NetworkMember(n.Name, n.Organisation, nodeKeys[i].Id.ToString(), n.Raft, n.Api)).ToList(),
            };
            var dirs = new List<string>();
            for (var i = 0; i < nodes.Count; i++)
            {
                var dir = new DataDirectory(Path.Combine(root, nodes[i].Name));
                if (File.Exists(dir.GenesisPath))
                {
                    throw new IOException($"{dir.Root} already holds a genesis; refusing to overwrite it.");
                }
                Directory.CreateDirectory(Path.Combine(dir.Root, "keys"));
                WriteKey(dir.NodeKeyPath, nodeKeys[i]);
                WriteKey(dir.AdminKeyPath, adminKeys[i]);
                File.WriteAllBytes(dir.GenesisPath, genesis.Encode());
                network.Write(dir.NetworkPath);
                dirs.Add(dir.Root);
            }
            if (tls)
            {
                using var authority = ConsortiumCertificates.CreateAuthority(chain, clock);
                File.WriteAllText(Path.Combine(root, "raft-ca.key"), System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions.GetECDsaPrivateKey(authority)!.ExportPkcs8PrivateKeyPem());
                RestrictToOwner(Path.Combine(root, "raft-ca.key"));
                for (var i = 0; i < nodes.Count; i++)
                {
                    var dir = new DataDirectory(Path.Combine(root, nodes[i].Name));
                    File.WriteAllText(dir.RaftAuthorityPath, authority.ExportCertificatePem());
                    File.WriteAllBytes(dir.RaftCertificatePath, ConsortiumCertificates.IssueNode(authority, nodes[i].Name, network.Members[i].RaftEndPoint.Address, clock));
                    RestrictToOwner(dir.RaftCertificatePath);
                }
            }
            return new NetworkFileWritten(network, dirs);
        }
        finally
        {
            nodeKeys.Concat(adminKeys).ToList().ForEach(k => k.Dispose());
        }
    }

    /// <summary>
    /// Prepares the data directory of a node that will join an existing network: the network's genesis
    /// and network file (with this node added, so it knows its own addresses), a fresh node key (to be
    /// approved by governance), and the organisation's key (copied from <paramref name="organisationKeyPath"/>,
    /// or fresh for an organisation governance has yet to admit).
    /// </summary>
    public static KeyId InitialiseJoiner(string root, string genesisPath, string networkPath, Consensus.Raft.NetworkMember self,
        string? organisationKeyPath = null)
    {
        var dir = new DataDirectory(root);
        if (File.Exists(dir.GenesisPath))
        {
            throw new IOException($"{dir.Root} already holds a genesis; refusing to overwrite it.");
        }
        Directory.CreateDirectory(Path.Combine(dir.Root, "keys"));
        using var nodeKey = SigningKey.Generate();
        using var adminKey = organisationKeyPath is null ? SigningKey.Generate() : SigningKey.FromPem(File.ReadAllText(organisationKeyPath));
        WriteKey(dir.NodeKeyPath, nodeKey);
        WriteKey(dir.AdminKeyPath, adminKey);
        _ = self.RaftEndPoint;
        var network = Consensus.Raft.NetworkFile.Read(networkPath);
        File.Copy(genesisPath, dir.GenesisPath);
        (network with { Members = [.. network.Members, self with { NodeKey = nodeKey.Id.ToString() }] }).Write(dir.NetworkPath);
        return nodeKey.Id;
    }

    /// <summary>The genesis document.</summary>
    public GenesisDocument ReadGenesis() => GenesisDocument.Parse(File.ReadAllBytes(GenesisPath));

    /// <summary>The node's validator key.</summary>
    public SigningKey ReadNodeKey() => SigningKey.FromPem(File.ReadAllText(NodeKeyPath));

    private void Initialise(string chain, TimeProvider clock)
    {
        Directory.CreateDirectory(Path.Combine(Root, "keys"));
        using var nodeKey = SigningKey.Generate();
        using var adminKey = SigningKey.Generate();
        WriteKey(NodeKeyPath, nodeKey);
        WriteKey(AdminKeyPath, adminKey);
        var genesis = new GenesisDocument
        {
            Chain = chain,
            Timestamp = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            Validators = [nodeKey.PublicKey.SubjectPublicKeyInfo.ToArray()],
            Organisations = [new GenesisOrganisation("org:local", "Hospital", true, [adminKey.PublicKey.SubjectPublicKeyInfo.ToArray()])],
        };
        var temp = GenesisPath + ".tmp";
        File.WriteAllBytes(temp, genesis.Encode());
        File.Move(temp, GenesisPath);
    }

    private static void WriteKey(string path, SigningKey key)
    {
        File.WriteAllText(path, key.ExportPem());
        RestrictToOwner(path);
    }

    private static void RestrictToOwner(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}

/// <summary>The network <see cref="DataDirectory.InitialiseNetwork"/> prepared, and the directories it wrote.</summary>
public sealed record NetworkFileWritten(CareLedger.Consensus.Raft.NetworkFile Network, IReadOnlyList<string> Directories);
