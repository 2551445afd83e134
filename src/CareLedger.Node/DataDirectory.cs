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

    /// <summary>The node's PKCS#10 request (PEM) for its node key, written by <c>network join</c> for governance.</summary>
    public string RaftSigningRequestPath => Path.Combine(Root, "keys", "raft.csr");

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

    /// <summary>The genesis document.</summary>
    public GenesisDocument ReadGenesis() => GenesisDocument.Parse(File.ReadAllBytes(GenesisPath));

    /// <summary>The node's validator key.</summary>
    public SigningKey ReadNodeKey() => SigningKey.FromPem(File.ReadAllText(NodeKeyPath));

    /// <summary>
    /// A new directory for a node: refuses one that already holds a genesis, then writes the node's key and
    /// its organisation's key. The caller writes the genesis.
    /// </summary>
    internal static DataDirectory CreateWithKeys(string root, SigningKey nodeKey, SigningKey organisationKey)
    {
        var dir = new DataDirectory(root);
        if (File.Exists(dir.GenesisPath))
        {
            throw new IOException($"{dir.Root} already holds a genesis; refusing to overwrite it.");
        }
        Directory.CreateDirectory(Path.Combine(dir.Root, "keys"));
        WriteKey(dir.NodeKeyPath, nodeKey);
        WriteKey(dir.AdminKeyPath, organisationKey);
        return dir;
    }

    private void Initialise(string chain, TimeProvider clock)
    {
        using var nodeKey = SigningKey.Generate();
        using var adminKey = SigningKey.Generate();
        CreateWithKeys(Root, nodeKey, adminKey);
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

    /// <summary>Writes a PEM key readable by the owner only.</summary>
    internal static void WriteKey(string path, SigningKey key)
    {
        File.WriteAllText(path, key.ExportPem());
        RestrictToOwner(path);
    }

    /// <summary>Makes a file readable and writable by its owner only (keys, certificates).</summary>
    internal static void RestrictToOwner(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
