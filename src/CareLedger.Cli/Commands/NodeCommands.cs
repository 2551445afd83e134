using System.CommandLine;

namespace CareLedger.Cli.Commands;

/// <summary><c>node run</c>: the same node as <c>dotnet run --project src/CareLedger.Node</c>.</summary>
internal static class NodeCommands
{
    public static Command Create()
    {
        // Program.cs hands 'node run …' to the node before parsing; this command documents the switches in --help.
        var run = new Command("run", "Run a node (solo ordering by default, or one node of a Raft consortium; data under --data).");
        run.Options.Add(new Option<string>("--data") { Description = "Data directory (default CARELEDGER_DATA, else ./data)." });
        run.Options.Add(new Option<string>("--urls") { Description = "Listen addresses (default http://127.0.0.1:5080)." });
        run.Options.Add(new Option<string>("--chain") { Description = "Chain id of a new data directory (default careledger-local)." });
        run.Options.Add(new Option<bool>("--demo") { Description = "Seed a new data directory with a synthetic network; keys in DATA/demo-keys." });
        run.Options.Add(new Option<string>("--consensus") { Description = "Ordering: solo (default) or raft (a consortium node; docs/consortium.md)." });
        run.Options.Add(new Option<string>("--network") { Description = "Raft: the network file (default DATA/network.json, from network init or join)." });
        run.Options.Add(new Option<string>("--raft-certificate") { Description = "Raft TLS with the consortium's own CA: this node's certificate, issued for its node key (PKCS#12). Without it, a network file with \"tls\": true makes the node present a certificate for its node key, signed by itself." });
        run.Options.Add(new Option<string>("--raft-certificate-password-env") { Description = "Raft TLS: environment variable holding the certificate's password." });
        run.Options.Add(new Option<string>("--raft-ca") { Description = "Raft TLS with the consortium's own CA: the CA certificate peers' certificates must also chain to (PEM). Either way a peer is accepted only while its key is a current validator." });
        run.Options.Add(new Option<int>("--block-max-bytes") { Description = "Cut a block at this many encoded transaction bytes (default 4 MiB)." });
        run.Options.Add(new Option<int>("--block-max-transactions") { Description = "Cut a block at this many transactions." });
        run.Options.Add(new Option<int>("--block-max-wait-ms") { Description = "Cut a block this long after its first transaction (default: none, group commit: a block holds what was queued while the previous one was written, solo and consortium alike)." });
        run.Options.Add(new Option<int>("--checkpoint-pages") { Description = "Pages of write-ahead log between checkpoints (default 262,144 solo, 65,536 raft)." });
        run.Options.Add(new Option<string>("--verify-on-start") { Description = "standard (default: head, recent blocks, state against the head's state set) or full (the whole audit of 'careledger verify')." });
        run.Options.Add(new Option<string>("--witnesses") { Description = "File of witness verifier keys whose checkpoint cosignatures the node accepts (default DATA/witnesses when it exists; docs/witnessing.md)." });
        var node = new Command("node", "Run a CareLedger node.");
        node.Subcommands.Add(run);
        return node;
    }
}
