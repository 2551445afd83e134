using System.CommandLine;
using CareLedger.Node;

namespace CareLedger.Cli.Commands;

/// <summary><c>network init</c> and <c>network join</c>: prepare consortium nodes' data directories.</summary>
internal static class NetworkCommands
{
    public static Command Create(CliOutput output)
    {
        var network = new Command("network", "Prepare the data directories of a Raft consortium (see docs/consortium.md).");
        network.Subcommands.Add(Init(output));
        network.Subcommands.Add(Join(output));
        return network;
    }

    private static Command Init(CliOutput output)
    {
        var dir = new Option<string>("--dir") { Required = true, Description = "Parent directory; one sub-directory per node is created." };
        var nodes = new Option<int>("--nodes") { DefaultValueFactory = _ => 3, Description = "Number of founding nodes (one organisation each)." };
        var chain = new Option<string>("--chain") { DefaultValueFactory = _ => "careledger-consortium", Description = "Chain id." };
        var host = new Option<string>("--host") { DefaultValueFactory = _ => "127.0.0.1", Description = "IP address every node listens on (one machine); edit network.json for several machines." };
        var raftPort = new Option<int>("--raft-port") { DefaultValueFactory = _ => 7001, Description = "Raft port of the first node; the others count up." };
        var apiPort = new Option<int>("--api-port") { DefaultValueFactory = _ => 5081, Description = "API port of the first node; the others count up." };
        var tls = new Option<bool>("--tls") { Description = "Mutual TLS between nodes: each presents a certificate for its ledger node key, accepted while that key is a current validator." };
        var cmd = new Command("init", "Create N node directories with their own keys, one shared genesis (all validators) and network.json.")
        {
            dir, nodes, chain, host, raftPort, apiPort, tls,
        };
        cmd.SetAction(parse =>
        {
            var count = parse.GetValue(nodes);
            if (count is < 1 or > 15)
            {
                return output.Fail(ExitCodes.Malformed, "--nodes must be between 1 and 15.");
            }
            var h = parse.GetValue(host)!;
            var specs = Enumerable.Range(1, count).Select(i => ($"node{i}", $"org:member-{i}",
                $"{h}:{parse.GetValue(raftPort) + i - 1}", $"http://{h}:{parse.GetValue(apiPort) + i - 1}")).ToList();
            try
            {
                var written = NetworkSetup.Create(parse.GetValue(dir)!, parse.GetValue(chain)!, specs, TimeProvider.System, parse.GetValue(tls));
                output.Json(new { chain = written.Network.Chain, members = written.Network.Members, directories = written.Directories });
                return ExitCodes.Ok;
            }
            catch (IOException ex)
            {
                return output.Fail(ExitCodes.Invalid, ex.Message);
            }
        });
        return cmd;
    }

    private static Command Join(CliOutput output)
    {
        var dir = new Option<string>("--dir") { Required = true, Description = "The new node's data directory." };
        var from = new Option<string>("--from") { Required = true, Description = "A member's data directory (or a copy of its genesis.cbor and network.json)." };
        var name = new Option<string>("--name") { Required = true, Description = "The new node's name." };
        var organisation = new Option<string>("--organisation") { Required = true, Description = "The organisation that runs it (org:…)." };
        var raft = new Option<string>("--raft") { Required = true, Description = "Its Raft address, ip:port." };
        var api = new Option<string>("--api") { Required = true, Description = "Its API base URL." };
        var organisationKey = new Option<string?>("--organisation-key") { Description = "PEM key of the organisation running the node (default: a fresh key, for an organisation yet to be admitted)." };
        var cmd = new Command("join", "Prepare a new node: the network's genesis and network file, fresh keys. Governance then approves its key.")
        {
            dir, from, name, organisation, raft, api, organisationKey,
        };
        cmd.SetAction(parse =>
        {
            var source = parse.GetValue(from)!;
            try
            {
                var self = new Consensus.Raft.NetworkMember(parse.GetValue(name)!, parse.GetValue(organisation)!, "", parse.GetValue(raft)!, parse.GetValue(api)!);
                var joined = NetworkSetup.Join(parse.GetValue(dir)!, Path.Combine(source, "genesis.cbor"), Path.Combine(source, "network.json"), self,
                    parse.GetValue(organisationKey));
                // The proposal a governing organisation submits as network.propose_node; the others approve it.
                output.Json(new
                {
                    nodeKey = joined.NodeKey.ToString(),
                    publicKey = joined.PublicKey,
                    signingRequest = Path.Combine(parse.GetValue(dir)!, "keys", "raft.csr"),
                    proposeNode = joined.Proposal(self),
                });
                return ExitCodes.Ok;
            }
            catch (IOException ex)
            {
                return output.Fail(ExitCodes.Invalid, ex.Message);
            }
        });
        return cmd;
    }
}
