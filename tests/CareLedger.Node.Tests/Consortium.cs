using System.Net.Http.Json;
using CareLedger.Client;
using CareLedger.Consensus.Raft;
using CareLedger.Core.Crypto;

namespace CareLedger.Node.Tests;

/// <summary>
/// A Raft network of real node processes on 127.0.0.1: <c>network init</c>'s directories, each node started
/// with <c>--consensus raft</c> on its own ports. Nodes can be SIGKILLed and restarted.
/// </summary>
public sealed class Consortium : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "careledger-raft-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string[]> _extraArguments = [];

    private readonly NetworkLab? _lab;

    /// <summary>
    /// A network of <paramref name="size"/> nodes; with <paramref name="lab"/>, each node runs on its own machine of it (its own
    /// network namespace and address), so links can be cut.
    /// </summary>
    public Consortium(int size, bool tls = false, NetworkLab? lab = null)
    {
        _lab = lab;
        var specs = Enumerable.Range(1, size).Select(i => ($"node{i}", $"org:member-{i}",
            lab is null ? $"127.0.0.1:{NodeProcess.FreePort()}" : $"{lab.Address(i)}:7001",
            lab is null ? $"http://127.0.0.1:{NodeProcess.FreePort()}" : $"http://{lab.Address(i)}:8080")).ToList();
        var written = NetworkSetup.Create(_root, "careledger-test-consortium", specs, TimeProvider.System, tls);
        Members = written.Network.Members.ToList();
    }

    public List<NetworkMember> Members { get; }

    public Dictionary<string, NodeProcess> Nodes { get; } = [];

    public string DataOf(string name) => Path.Combine(_root, name);

    public Uri ApiOf(string name) => new(Members.Single(m => m.Name == name).Api + "/");

    /// <summary>The lab machine a node runs on (node<i>N</i> on machine N).</summary>
    public int MachineOf(string name) => Members.FindIndex(m => m.Name == name) + 1;

    /// <summary>Starts (or restarts) a node and waits for its API.</summary>
    public async Task<NodeProcess> StartAsync(string name, params string[] extraArguments)
    {
        var node = Launch(name, extraArguments.Length > 0 ? extraArguments : _extraArguments.GetValueOrDefault(name, []));
        Assert.True(await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)), node.Logs);
        return node;
    }

    /// <summary>Starts (or restarts) a node with exactly these extra arguments, without waiting for it.</summary>
    public NodeProcess Launch(string name, params string[] extraArguments)
    {
        _extraArguments[name] = extraArguments;
        var node = NodeProcess.StartAt(_lab?.Launcher(MachineOf(name)) ?? [], DataOf(name), ApiOf(name), ["--consensus", "raft", .. extraArguments]);
        Nodes[name] = node;
        return node;
    }

    /// <summary>Starts every member and waits until each one knows the leader.</summary>
    public async Task StartAllAsync()
    {
        await Task.WhenAll(Members.Select(m => StartAsync(m.Name)));
        await WaitForLeaderEverywhereAsync();
    }

    public async Task WaitForLeaderEverywhereAsync()
    {
        foreach (var name in Nodes.Keys)
        {
            await WaitForAsync(name, s => s.Leader is not null, TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>SIGKILLs a node.</summary>
    public void Kill(string name)
    {
        Nodes[name].Kill();
        Nodes[name].Dispose();
        Nodes.Remove(name);
    }

    /// <summary>Adds a node prepared with <c>network join</c> (not started).</summary>
    public (string Name, KeyId NodeKey, string ProposalArgs) PrepareJoiner(string name, string organisation)
    {
        var member = new NetworkMember(name, organisation, "", $"127.0.0.1:{NodeProcess.FreePort()}", $"http://127.0.0.1:{NodeProcess.FreePort()}");
        var joined = NetworkSetup.Join(DataOf(name), Path.Combine(DataOf("node1"), "genesis.cbor"), Path.Combine(DataOf("node1"), "network.json"), member,
            Path.Combine(DataOf("node1"), "keys", "admin.key"));
        Members.Add(member with { NodeKey = joined.NodeKey.ToString() });
        return (name, joined.NodeKey, joined.ProposalArgs(member));
    }

    /// <summary>A client signing with the organisation key of <paramref name="keyOf"/>, talking to <paramref name="node"/>.</summary>
    public async Task<(CareLedgerClient Client, TransactionFactory Factory, HttpClient Http)> ClientAsync(string node, string keyOf = "node1")
    {
        var http = new HttpClient { BaseAddress = ApiOf(node), Timeout = TimeSpan.FromSeconds(30) };
        var key = SigningKey.FromPem(File.ReadAllText(Path.Combine(DataOf(keyOf), "keys", "admin.key")));
        var chain = (await CareLedgerClient.GetChainInfoAsync(http)).Chain;
        return (new CareLedgerClient(http, key, chain), new TransactionFactory(key, chain), http);
    }

    /// <summary>The node's consensus status.</summary>
    public async Task<ConsensusStatus> StatusAsync(string name)
    {
        using var http = new HttpClient { BaseAddress = ApiOf(name), Timeout = TimeSpan.FromSeconds(5) };
        return (await http.GetFromJsonAsync<ConsensusStatus>("api/v1/consensus", CareLedgerClient.Json))!;
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the named node's status; fails with the last status otherwise.</summary>
    public async Task<ConsensusStatus> WaitForAsync(string name, Func<ConsensusStatus, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        ConsensusStatus? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await StatusAsync(name);
                if (condition(last))
                {
                    return last;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        Assert.Fail($"{name} never reached the expected state; last status: {last}\n{(Nodes.TryGetValue(name, out var n) ? n.Logs[^Math.Min(n.Logs.Length, 4000)..] : "")}");
        return last!;
    }

    /// <summary>Every running node's status (or why it has none) and the end of its log: what a failed assertion shows.</summary>
    public async Task<string> DescribeAsync()
    {
        var lines = new List<string>();
        foreach (var (name, node) in Nodes)
        {
            string status;
            try
            {
                status = (await StatusAsync(name)).ToString();
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                status = $"no status ({ex.GetType().Name}); running: {node.IsRunning}";
            }
            var logs = node.Logs;
            lines.Add($"{name}: {status}\n{logs[^Math.Min(logs.Length, 3000)..]}");
        }
        return string.Join("\n", lines);
    }

    /// <summary>The name of the node that currently leads, per the running nodes.</summary>
    public async Task<string> LeaderAsync()
    {
        var someone = Nodes.Keys.First();
        var status = await WaitForAsync(someone, s => s.Leader is not null, TimeSpan.FromSeconds(30));
        return Members.Single(m => m.Raft == status.Leader).Name;
    }

    public void Dispose()
    {
        foreach (var node in Nodes.Values)
        {
            node.Dispose();
        }
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
