using System.Collections.Concurrent;
using System.Diagnostics;
using CareLedger.Client;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Testing;
using Microsoft.Data.Sqlite;

namespace CareLedger.Node.Tests;

/// <summary>Load on a consortium and the checks after it: what was acknowledged, the first commit after a fault, convergence.</summary>
internal static class ConsortiumLoad
{
    internal static Transaction Anchor(TransactionFactory factory, string? hash = null) =>
        factory.Create("notary.anchor", $$"""{"hash":"{{hash ?? TestChain.RandomHash()}}","documentType":"lab-report"}""");

    // Under load for at least 2.5 s, and until something is acknowledged (slower when other tests share the two cores).
    internal static async Task UnderLoadAsync(ConcurrentBag<Hash> acknowledged)
    {
        await Task.Delay(2500);
        for (var waited = 0; acknowledged.IsEmpty && waited < 60; waited++)
        {
            await Task.Delay(500);
        }
        Assert.NotEmpty(acknowledged);
    }

    // Every node reaches the height, none diverged or is marked faulty, their heads agree, and each holds every acknowledged transaction.
    internal static async Task AssertConvergedAsync(Consortium net, long target, ConcurrentBag<Hash> acknowledged)
    {
        foreach (var name in net.Members.Select(m => m.Name))
        {
            var status = await net.WaitForAsync(name, s => s.Height >= target || s.Divergence is not null, TimeSpan.FromSeconds(60));
            Assert.True(status.Divergence is null, $"{name} diverged at {status.Divergence?.Height}");
            Assert.Empty(status.FaultyValidators);
        }
        var heads = net.Members.Select(m => Head(net.DataOf(m.Name), target)).ToList();
        Assert.All(heads, h => Assert.Equal(heads[0], h));
        foreach (var name in net.Members.Select(m => m.Name))
        {
            var stored = TransactionIds(net.DataOf(name));
            var missing = acknowledged.Count(id => !stored.Contains(id));
            Assert.True(missing == 0, $"{name} lacks {missing} of {acknowledged.Count} acknowledged transactions");
        }
    }

    // Batches of 50 anchors from each named node, until stopped; what committed is acknowledged.
    internal static List<Task> Load(Consortium net, IEnumerable<string> nodes, ConcurrentBag<Hash> acknowledged, CancellationToken stop) =>
        nodes.Select(name => Task.Run(async () =>
        {
            var (client, factory, http) = await net.ClientAsync(name, keyOf: name);
            using var _ = http;
            while (!stop.IsCancellationRequested)
            {
                var batch = Enumerable.Range(0, 50).Select(_ => Anchor(factory)).ToList();
                try
                {
                    var outcome = await client.SubmitBatchAsync(batch, TimeSpan.FromSeconds(10), stop);
                    foreach (var (tx, result) in batch.Zip(outcome.Results))
                    {
                        if (result.Status == "committed")
                        {
                            acknowledged.Add(tx.Id);
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or OperationCanceledException or CareLedgerException)
                {
                }
            }
        })).ToList();

    // The time to the first commit of an anchor submitted to the node after the clock started (a fault), or a failure naming every node's state.
    internal static async Task<TimeSpan> FirstCommitAsync(Consortium net, string node, Stopwatch clock, TimeSpan deadline)
    {
        // A probe every 100 ms, each waiting for its own commit: the first to commit times the failover, whatever the probes sent
        // before it (handed to a leader that was then cut off) are still waiting for.
        var (probe, probeFactory, probeHttp) = await net.ClientAsync(node, keyOf: node);
        using (probeHttp)
        {
            var committed = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            var probes = new List<Task>();
            while (!committed.Task.IsCompleted && clock.Elapsed < deadline)
            {
                probes.Add(Task.Run(async () =>
                {
                    try
                    {
                        var wait = deadline - clock.Elapsed;
                        if (wait > TimeSpan.Zero && (await probe.SubmitAsync(Anchor(probeFactory), wait)).Status == "committed")
                        {
                            committed.TrySetResult(clock.Elapsed);
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or CareLedgerException or ObjectDisposedException)
                    {
                    }
                }));
                await Task.WhenAny(committed.Task, Task.Delay(100));
            }
            Assert.True(committed.Task.IsCompleted, $"no commit at {node} within {deadline}; {await net.DescribeAsync()}");
            return await committed.Task;
        }
    }

    internal static string Head(string data, long height)
    {
        using var db = new SqliteConnection($"Data Source={Path.Combine(data, "ledger.db")};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT hex(hash) FROM blocks WHERE height = $h";
        cmd.Parameters.AddWithValue("$h", height);
        return (string)cmd.ExecuteScalar()!;
    }

    internal static HashSet<Hash> TransactionIds(string data)
    {
        using var db = new SqliteConnection($"Data Source={Path.Combine(data, "ledger.db")};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT id FROM transactions";
        using var r = cmd.ExecuteReader();
        var ids = new HashSet<Hash>();
        while (r.Read())
        {
            ids.Add(Hash.FromBytes((byte[])r[0]));
        }
        return ids;
    }
}
