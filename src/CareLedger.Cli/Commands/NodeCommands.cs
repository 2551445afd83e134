using System.CommandLine;

namespace CareLedger.Cli.Commands;

/// <summary><c>node run</c>: the same node as <c>dotnet run --project src/CareLedger.Node</c>.</summary>
internal static class NodeCommands
{
    public static Command Create()
    {
        // Program.cs hands 'node run …' to the node before parsing; this command documents the switches in --help.
        var run = new Command("run", "Run a node (single-node solo ordering, data under --data).");
        run.Options.Add(new Option<string>("--data") { Description = "Data directory (default ./data)." });
        run.Options.Add(new Option<string>("--urls") { Description = "Listen addresses (default http://127.0.0.1:5080)." });
        run.Options.Add(new Option<string>("--consensus") { Description = "Ordering: solo." });
        run.Options.Add(new Option<int>("--block-max-transactions") { Description = "Cut a block at this many transactions." });
        run.Options.Add(new Option<int>("--block-max-wait-ms") { Description = "Cut a block this long after its first transaction (default: 0 solo, group commit; 20 in a consortium)." });
        run.Options.Add(new Option<int>("--checkpoint-pages") { Description = "Pages of write-ahead log between checkpoints (default 262,144 solo, 65,536 raft)." });
        var node = new Command("node", "Run a CareLedger node.");
        node.Subcommands.Add(run);
        return node;
    }
}
