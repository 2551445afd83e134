using CareLedger.Ledger.Ordering;
using CareLedger.Storage;

namespace CareLedger.Node;

/// <summary>How a node runs: where its data lives, where it listens, how it cuts blocks.</summary>
public sealed record NodeOptions
{
    /// <summary>Data directory: ledger.db, genesis.cbor, keys/.</summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>Listen addresses.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>Chain id used when a new data directory is initialised.</summary>
    public string Chain { get; init; } = "careledger-local";

    /// <summary>Ordering: <c>solo</c> (default) or <c>raft</c> (a consortium; see docs/consortium.md).</summary>
    public string Consensus { get; init; } = "solo";

    /// <summary>Raft mode: the network file; default <c>network.json</c> in the data directory.</summary>
    public string? Network { get; init; }

    /// <summary>Raft mode: this node's TLS certificate (PKCS#12); with it, Raft traffic is mutual TLS.</summary>
    public string? RaftCertificate { get; init; }

    /// <summary>Environment variable holding the certificate file's password.</summary>
    public string? RaftCertificatePasswordEnv { get; init; }

    /// <summary>The consortium CA (PEM) that every node's Raft certificate must chain to.</summary>
    public string? RaftAuthority { get; init; }

    /// <summary>Seed a fresh ledger with a synthetic demo network (<c>--demo</c>).</summary>
    public bool Demo { get; init; }

    /// <summary>Test-only fault injection (crash and divergence tests); never set in production.</summary>
    public string? FailPoint { get; init; }

    /// <summary>Block cutting limits.</summary>
    public BlockCutOptions BlockCut { get; init; } = new();

    /// <summary>
    /// Pages of write-ahead log between two checkpoints (<c>--checkpoint-pages</c>). Unset: 262,144 (1 GiB) for a solo
    /// node, 65,536 in a consortium, where every node checkpoints the same block at the same moment (docs/storage-layout.md).
    /// </summary>
    public int? CheckpointPages { get; init; }

    /// <summary>
    /// What the node checks before it serves (<c>--verify-on-start</c>): <c>standard</c> (the head, the recent blocks and the
    /// whole state against the head's state set; docs/storage-layout.md) or <c>full</c> (the whole audit of <c>careledger verify</c>).
    /// </summary>
    public string VerifyOnStart { get; init; } = "standard";

    /// <summary>
    /// File of witness verifier keys, one per line (<c>--witnesses</c>; default DATA/witnesses when it exists): whose
    /// cosignatures of this node's checkpoints it accepts (docs/witnessing.md).
    /// </summary>
    public string? WitnessesFile { get; init; }

    /// <summary>The checkpoint interval of a consortium node unless <see cref="CheckpointPages"/> says otherwise: 256 MiB of log.</summary>
    public const int ConsortiumCheckpointPages = 65_536;

    /// <summary>The checkpoint interval this node uses: <see cref="CheckpointPages"/>, or the default for its consensus.</summary>
    public int EffectiveCheckpointPages => CheckpointPages ?? (Consensus == "raft" ? ConsortiumCheckpointPages : LedgerStore.DefaultCheckpointPages);

    /// <summary>Reads the options from configuration (section <c>CareLedger</c> and command-line switches).</summary>
    public static NodeOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("CareLedger");
        var defaults = new NodeOptions();
        var cut = defaults.BlockCut;
        var consensus = section["Consensus"] ?? defaults.Consensus;
        var checkpointPages = section.GetValue<int?>("CheckpointPages");
        if (checkpointPages < 1)
        {
            throw new FormatException($"--checkpoint-pages must be a positive number of pages, not {checkpointPages}.");
        }
        var verifyOnStart = section["VerifyOnStart"] ?? defaults.VerifyOnStart;
        if (verifyOnStart is not ("standard" or "full"))
        {
            throw new FormatException($"--verify-on-start is 'standard' or 'full', not '{verifyOnStart}'.");
        }
        return new NodeOptions
        {
            VerifyOnStart = verifyOnStart,
            WitnessesFile = section["Witnesses"],
            // The CLI's commands and the node agree on the data directory: --data, else CARELEDGER_DATA, else ./data.
            DataDirectory = section["Data"] ?? (Environment.GetEnvironmentVariable("CARELEDGER_DATA") is { Length: > 0 } fromEnvironment ? fromEnvironment : defaults.DataDirectory),
            Urls = configuration["urls"] ?? defaults.Urls,
            Chain = section["Chain"] ?? defaults.Chain,
            Consensus = consensus,
            Network = section["Network"],
            FailPoint = section["FailPoint"],
            Demo = section.GetValue("Demo", false),
            CheckpointPages = checkpointPages,
            RaftCertificate = section["RaftCertificate"],
            RaftCertificatePasswordEnv = section["RaftCertificatePasswordEnv"],
            RaftAuthority = section["RaftAuthority"],
            BlockCut = new BlockCutOptions
            {
                MaxTransactions = section.GetValue("BlockMaxTransactions", cut.MaxTransactions),
                MaxBytes = section.GetValue("BlockMaxBytes", cut.MaxBytes),
                // Solo nodes and consortium leaders commit in groups (no timer): a leader proposes what is queued as soon as it can
                // hand another entry to Raft (at most four in flight), so a lone transaction waits for no timer and load makes
                // entries larger by itself. Three nodes on two cores: one client p50 2.8 ms against 25 ms with a 20 ms timer,
                // 8 × 500 batches 4,761 against 4,321 tx/s (docs/performance.md, session 11).
                MaxWait = section.GetValue<int?>("BlockMaxWaitMs") is { } waitMs ? TimeSpan.FromMilliseconds(waitMs) : BlockCutOptions.GroupCommit,
            },
        };
    }

    // ASP.NET Core's own host switches, besides configuration keys written as paths (--Logging:LogLevel:Default).
    private static readonly string[] HostSwitches = ["--urls", "--environment", "--contentRoot", "--applicationName"];

    /// <summary>
    /// The first switch the node does not understand, or null: a mistyped switch (<c>--port 5381</c>) must not be silently ignored
    /// and leave the node on its default address. Known: <see cref="Switches"/>, ASP.NET Core's host switches, and configuration
    /// keys with a colon.
    /// </summary>
    public static string? UnknownSwitch(IEnumerable<string> args) => args
        .Where(a => a.StartsWith('-'))
        .Select(a => a.Split('=', 2)[0])
        .FirstOrDefault(name => !Switches.ContainsKey(name) && !HostSwitches.Contains(name, StringComparer.OrdinalIgnoreCase) && !name.Contains(':', StringComparison.Ordinal));

    /// <summary>Command-line switches understood by the node.</summary>
    public static readonly Dictionary<string, string> Switches = new(StringComparer.Ordinal)
    {
        ["--data"] = "CareLedger:Data",
        ["--chain"] = "CareLedger:Chain",
        ["--consensus"] = "CareLedger:Consensus",
        ["--network"] = "CareLedger:Network",
        ["--raft-certificate"] = "CareLedger:RaftCertificate",
        ["--raft-certificate-password-env"] = "CareLedger:RaftCertificatePasswordEnv",
        ["--raft-ca"] = "CareLedger:RaftAuthority",
        ["--block-max-transactions"] = "CareLedger:BlockMaxTransactions",
        ["--block-max-bytes"] = "CareLedger:BlockMaxBytes",
        ["--block-max-wait-ms"] = "CareLedger:BlockMaxWaitMs",
        ["--fail-point"] = "CareLedger:FailPoint",
        ["--demo"] = "CareLedger:Demo",
        ["--checkpoint-pages"] = "CareLedger:CheckpointPages",
        ["--verify-on-start"] = "CareLedger:VerifyOnStart",
        ["--witnesses"] = "CareLedger:Witnesses",
    };
}
