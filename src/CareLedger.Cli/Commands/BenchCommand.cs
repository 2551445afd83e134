using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using CareLedger.Client;
using CareLedger.Core.Encoding;
using CareLedger.Core.Ledger;

namespace CareLedger.Cli.Commands;

/// <summary>
/// <c>bench</c>: drives a running node over HTTP with pre-signed ES256 notary transactions from
/// concurrent clients, and prints a JSON summary (committed tx/s, submit-to-commit latency
/// percentiles, rejections, node RSS). Every request loop is bounded by the duration.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(CliOutput output)
    {
        var connection = new NodeConnection();
        var clients = new Option<int>("--clients") { Description = "Concurrent clients.", DefaultValueFactory = _ => 8 };
        var duration = new Option<int>("--duration") { Description = "Seconds of measured load.", DefaultValueFactory = _ => 60 };
        var warmup = new Option<int>("--warmup") { Description = "Seconds of load before the measured seconds, not counted (the node's JIT settles).", DefaultValueFactory = _ => 0 };
        var batch = new Option<int>("--batch") { Description = "Transactions per request (1 = single submissions).", DefaultValueFactory = _ => 500 };
        var rate = new Option<int>("--rate") { Description = "Target tx/s over all clients (0 = as fast as the node takes them).", DefaultValueFactory = _ => 0 };
        var presign = new Option<int>("--transactions") { Description = "Transactions to pre-sign (default: rate×duration, or 15,000×duration)." };
        var receipts = new Option<int>("--receipts") { Description = "After the load, fetch this many receipts of committed transactions and time them.", DefaultValueFactory = _ => 1000 };
        var cmd = new Command("bench", "Load a running node with notary transactions and report throughput and latency.") { clients, duration, warmup, batch, rate, presign, receipts };
        connection.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            var (client, factory, http) = await connection.ConnectAsync(parse, ct);
            using var _ = http;
            var (nClients, seconds, batchSize, targetRate) = (parse.GetValue(clients), parse.GetValue(duration), parse.GetValue(batch), parse.GetValue(rate));
            var warmSeconds = parse.GetValue(warmup);
            if (nClients < 1 || seconds < 1 || warmSeconds < 0 || batchSize is < 1 or > 10_000 || targetRate < 0)
            {
                return output.Fail(ExitCodes.Malformed, "--clients ≥ 1, --duration ≥ 1, --warmup ≥ 0, 1 ≤ --batch ≤ 10000, --rate ≥ 0.");
            }
            var total = parse.GetValue(presign) is > 0 and var n ? n : (targetRate > 0 ? targetRate : 15_000) * (seconds + warmSeconds);
            var batches = PreSign(factory, total, batchSize, TimeSpan.FromSeconds(warmSeconds + seconds + 300), output);

            var latencies = new ConcurrentBag<double>();
            var committedIds = new ConcurrentQueue<string>();
            long committed = 0, rejected = 0, refused = 0, submitted = 0;
            // Why transactions did not commit, by stable code (tx.mempool_full, consensus.no_quorum, …).
            var reasons = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            var progress = output.Progress("committed");
            var run = Stopwatch.StartNew();
            var warm = TimeSpan.FromSeconds(warmSeconds);
            var end = warm + TimeSpan.FromSeconds(seconds);
            long scheduled = -1;
            await Task.WhenAll(Enumerable.Range(0, nClients).Select(async _ =>
            {
                while (run.Elapsed < end && batches.TryDequeue(out var next))
                {
                    if (targetRate > 0)
                    {
                        // Open-loop pacing: batch k starts at k·batch/rate seconds, whoever sends it.
                        var due = TimeSpan.FromSeconds((double)Interlocked.Increment(ref scheduled) * batchSize / targetRate);
                        if (due > run.Elapsed)
                        {
                            await Task.Delay(due - run.Elapsed, ct);
                        }
                    }
                    var sent = run.Elapsed;
                    var outcomes = batchSize == 1
                        ? [await client.SubmitAsync(next.Single!, TimeSpan.FromSeconds(30), ct)]
                        : (await client.SubmitEncodedBatchAsync(next.Body, TimeSpan.FromSeconds(30), ct)).Results;
                    var latency = (run.Elapsed - sent).TotalMilliseconds;
                    if (sent < warm)
                    {
                        continue;
                    }
                    Interlocked.Add(ref submitted, next.Count);
                    foreach (var o in outcomes)
                    {
                        switch (o.Status)
                        {
                            case "committed":
                                Interlocked.Increment(ref committed);
                                latencies.Add(latency);
                                if (committedIds.Count < 100_000)
                                {
                                    committedIds.Enqueue(o.Id!);
                                }
                                break;
                            case "rejected":
                                Interlocked.Increment(ref rejected);
                                reasons.AddOrUpdate(o.Code ?? "rejected", 1, (_, n) => n + 1);
                                break;
                            default:
                                Interlocked.Increment(ref refused);
                                reasons.AddOrUpdate(o.Code ?? "refused", 1, (_, n) => n + 1);
                                break;
                        }
                    }
                    progress.Report(Interlocked.Read(ref committed));
                }
            }));
            var elapsed = (run.Elapsed - warm).TotalSeconds;
            output.EndProgress();
            var health = await http.GetFromJsonAsync<NodeHealth>("api/v1/health", CareLedgerClient.Json, ct);
            var sorted = latencies.Order().ToArray();
            var receiptTimes = new List<double>();
            var sample = committedIds.ToArray();
            var random = new Random(1);
            for (var i = 0; i < Math.Min(parse.GetValue(receipts), sample.Length); i++)
            {
                var id = Core.Crypto.Hash.Parse(sample[random.Next(sample.Length)]);
                var started = Stopwatch.GetTimestamp();
                await client.GetReceiptAsync(id, cancellationToken: ct);
                receiptTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            var receiptSorted = receiptTimes.Order().ToArray();
            output.Json(new
            {
                clients = nClients,
                batch = batchSize,
                targetRate,
                warmupSeconds = warmSeconds,
                durationSeconds = Math.Round(elapsed, 2),
                submitted,
                committed,
                rejected,
                refused,
                notCommittedBy = reasons.OrderByDescending(r => r.Value).ToDictionary(r => r.Key, r => r.Value),
                committedPerSecond = Math.Round(committed / elapsed),
                latencyMs = new { p50 = Percentile(sorted, 0.50), p95 = Percentile(sorted, 0.95), p99 = Percentile(sorted, 0.99), max = sorted.LastOrDefault() },
                receiptMs = new { count = receiptSorted.Length, p50 = Percentile(receiptSorted, 0.50), p99 = Percentile(receiptSorted, 0.99) },
                nodeRssBytes = health?.RssBytes,
                headHeight = health?.Height,
                ranOutOfPresigned = batches.IsEmpty && run.Elapsed < end,
            });
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private sealed record NodeHealth(string Status, long Height, long RssBytes);

    // A batch as it goes on the wire, serialized while pre-signing so that the load generator's
    // own JSON work does not compete with the node for the same cores; the transactions themselves are
    // kept only for single submissions, so the client's heap during the load is a few large arrays.
    private sealed record SignedBatch(int Count, Transaction? Single, byte[] Body);

    private static ConcurrentQueue<SignedBatch> PreSign(TransactionFactory factory, int total, int batchSize, TimeSpan validity, CliOutput output)
    {
        var txs = new Transaction[total];
        var progress = output.Progress("pre-signed", total);
        var done = 0;
        Parallel.For(0, total, i =>
        {
            // ~300-byte notary transactions: a random salted hash, as a hospital would anchor.
            var args = TransactionArgs.FromJson($$"""{"hash":"{{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))}}","documentType":"discharge-summary"}""");
            txs[i] = factory.Create("notary.anchor", args, validity);
            progress.Report(Interlocked.Increment(ref done));
        });
        output.EndProgress();
        var batches = new ConcurrentQueue<SignedBatch>(txs.Chunk(batchSize).AsParallel().AsOrdered()
            .Select(c => batchSize == 1 ? new SignedBatch(1, c[0], []) : new SignedBatch(c.Length, null, CareLedgerClient.EncodeBatch(c))));
        // The signed transactions are garbage now: collect them before the load, not during it.
        txs = [];
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return batches;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)], 2);
}
