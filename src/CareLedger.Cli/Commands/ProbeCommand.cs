using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using CareLedger.Client;

namespace CareLedger.Cli.Commands;

/// <summary>
/// <c>probe</c>: a steady trickle of small transactions against a consortium, each to whichever node
/// answers, reporting the longest gaps between commits. Kill the leader while it runs and the longest gap
/// is the failover time (leader's death to the first commit under the new leader, within one interval).
/// </summary>
internal static class ProbeCommand
{
    public static Command Create(CliOutput output)
    {
        var nodes = new Option<string>("--nodes") { Required = true, Description = "Comma-separated node addresses." };
        var key = new Option<string>("--key") { Required = true, Description = "PEM key file of a key registered on the ledger." };
        var duration = new Option<int>("--duration") { DefaultValueFactory = _ => 60, Description = "Seconds to probe." };
        var interval = new Option<int>("--interval-ms") { DefaultValueFactory = _ => 20, Description = "Milliseconds between submissions." };
        var cmd = new Command("probe", "Trickle transactions at a consortium and report the longest gaps between commits (failover time).")
        {
            nodes, key, duration, interval,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var addresses = parse.GetValue(nodes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(a => new Uri(a.TrimEnd('/') + "/")).ToList();
            using var signing = NodeConnection.LoadKey(parse.GetValue(key)!, null);
            var clients = addresses.Select(a => new HttpClient { BaseAddress = a, Timeout = TimeSpan.FromSeconds(3) }).ToList();
            try
            {
                string? chain = null;
                foreach (var http in clients)
                {
                    try
                    {
                        chain = (await CareLedgerClient.GetChainInfoAsync(http, ct)).Chain;
                        break;
                    }
                    catch (HttpRequestException)
                    {
                    }
                }
                if (chain is null)
                {
                    return output.Fail(ExitCodes.Invalid, "No node answers.");
                }
                var factory = new TransactionFactory(signing, chain);
                var commits = new List<double>();
                long failures = 0;
                var current = 0;
                var clock = Stopwatch.StartNew();
                var end = TimeSpan.FromSeconds(parse.GetValue(duration));
                while (clock.Elapsed < end)
                {
                    var next = clock.Elapsed + TimeSpan.FromMilliseconds(parse.GetValue(interval));
                    var tx = factory.Create("notary.anchor",
                        $$"""{"hash":"{{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))}}","documentType":"probe"}""");
                    try
                    {
                        var outcome = await new CareLedgerClient(clients[current], signing, chain).SubmitAsync(tx, TimeSpan.FromSeconds(2), ct);
                        if (outcome.Status == "committed")
                        {
                            commits.Add(clock.Elapsed.TotalMilliseconds);
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or CareLedgerException)
                    {
                        failures++;
                        current = (current + 1) % clients.Count;
                    }
                    if (next > clock.Elapsed)
                    {
                        await Task.Delay(next - clock.Elapsed, ct);
                    }
                }
                var gaps = commits.Zip(commits.Skip(1), (a, b) => Math.Round(b - a)).OrderDescending().ToList();
                output.Json(new
                {
                    commits = commits.Count,
                    failedSubmissions = failures,
                    longestGapsMs = gaps.Take(10).ToList(),
                    medianGapMs = gaps.Count == 0 ? 0 : gaps[gaps.Count / 2],
                });
                return ExitCodes.Ok;
            }
            finally
            {
                clients.ForEach(c => c.Dispose());
            }
        });
        return cmd;
    }
}
