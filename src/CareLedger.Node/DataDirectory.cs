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

    /// <summary>Opens an existing data directory (no initialisation): for offline tools.</summary>
    public static DataDirectory Existing(string root)
    {
        var dir = new DataDirectory(root);
        if (!File.Exists(dir.GenesisPath) || !File.Exists(dir.LedgerPath))
        {
            throw new FileNotFoundException($"{dir.Root} is not a CareLedger data directory (no genesis.cbor or ledger.db).");
        }
        return dir;
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
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
