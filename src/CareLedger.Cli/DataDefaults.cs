namespace CareLedger.Cli;

/// <summary>
/// Where commands look when not told: the data directory is <c>--data</c>, else <c>CARELEDGER_DATA</c>, else <c>./data</c>; the key
/// is that directory's organisation key and the genesis its genesis document; the node is <c>CARELEDGER_NODE</c>, else the solo
/// node's default address. So one variable points every command at, say, the demo network (<c>CARELEDGER_DATA=demo</c>).
/// </summary>
internal static class DataDefaults
{
    public static string Directory => Environment.GetEnvironmentVariable("CARELEDGER_DATA") is { Length: > 0 } data ? data : "data";

    public static string Node => Environment.GetEnvironmentVariable("CARELEDGER_NODE") is { Length: > 0 } node ? node : "http://127.0.0.1:5080";

    public static string KeyIn(string directory) => Path.Combine(directory, "keys", "admin.key");

    public static string GenesisIn(string directory) => Path.Combine(directory, "genesis.cbor");
}
