using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Json;
using CareLedger.Client;

namespace CareLedger.Cli.Commands.Bench;

/// <summary>
/// <c>bench</c>: drives a running node over HTTP from concurrent clients with one of the hospital workloads
/// (<see cref="HospitalWorkload"/>) and prints a JSON summary: committed tx/s, submit-to-commit latency percentiles overall and per
/// operation, refusals by code, node RSS. Transactions are signed before the load; every request loop is bounded by the duration.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(CliOutput output)
    {
        var connection = new NodeConnection();
        var workload = new Option<string>("--workload")
        {
            Description = "notary (anchors signed by the organisation key), consent, fhir-read, fhir-create, dispense, claim, or mixed (60 % FHIR reads, "
                + "15 % FHIR creates, 10 % grants, 10 % dispenses, 5 % claims).",
            DefaultValueFactory = _ => HospitalWorkload.Notary,
        };
        workload.AcceptOnlyFromAmong(HospitalWorkload.Names);
        var clients = new Option<int>("--clients") { Description = "Concurrent clients.", DefaultValueFactory = _ => 8 };
        var duration = new Option<int>("--duration") { Description = "Seconds of measured load.", DefaultValueFactory = _ => 60 };
        var warmup = new Option<int>("--warmup") { Description = "Seconds of load before the measured seconds, not counted (the node's JIT settles).", DefaultValueFactory = _ => 0 };
        var batch = new Option<int>("--batch") { Description = "Transactions per request (1 = single submissions). FHIR calls are always one per request.", DefaultValueFactory = _ => 500 };
        var rate = new Option<int>("--rate") { Description = "Target transactions/s over all clients (0 = as fast as the node takes them).", DefaultValueFactory = _ => 0 };
        var presign = new Option<int>("--transactions") { Description = "Transactions to pre-sign (default: rate×seconds, or 15,000×seconds in batches, 4,000×seconds singly)." };
        var patients = new Option<int>("--patients") { Description = "Synthetic patients the workload spreads over (not for notary).", DefaultValueFactory = _ => 500 };
        var receipts = new Option<int>("--receipts") { Description = "After the load, fetch this many receipts of committed transactions and time them.", DefaultValueFactory = _ => 1000 };
        var cmd = new Command("bench", "Load a running node with a hospital workload and report throughput and latency.")
        {
            workload, clients, duration, warmup, batch, rate, presign, patients, receipts,
        };
        connection.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            var (name, nClients, seconds, warmSeconds) = (parse.GetValue(workload)!, parse.GetValue(clients), parse.GetValue(duration), parse.GetValue(warmup));
            var (batchSize, targetRate, patientCount) = (parse.GetValue(batch), parse.GetValue(rate), parse.GetValue(patients));
            if (nClients < 1 || seconds < 1 || warmSeconds < 0 || batchSize is < 1 or > 10_000 || targetRate < 0 || patientCount is < 1 or > 100_000)
            {
                return output.Fail(ExitCodes.Malformed, "--clients ≥ 1, --duration ≥ 1, --warmup ≥ 0, 1 ≤ --batch ≤ 10000, --rate ≥ 0, 1 ≤ --patients ≤ 100000.");
            }
            var (node, hospital, api) = await connection.ConnectAsync(parse, ct);
            using var _ = api;
            var total = parse.GetValue(presign) is > 0 and var n ? n : (targetRate > 0 ? targetRate : batchSize == 1 ? 4_000 : 15_000) * (seconds + warmSeconds);
            var shares = HospitalWorkload.Shares(name);
            int CountOf(string operation) => (int)((long)total * shares.Single(s => s.Operation == operation).Percent / 100);
            using var cast = name == HospitalWorkload.Notary ? null : await HospitalCast.EnrolAsync(node, api, hospital, patientCount,
                shares.Any(s => s.Operation == HospitalWorkload.Dispense) ? CountOf(HospitalWorkload.Dispense) : 0, shares.Any(s => s.Operation == HospitalWorkload.Claim), ct);
            var validity = TimeSpan.FromSeconds(warmSeconds + seconds + 300);
            var operations = shares.Select(s => (Operation: HospitalWorkload.Build(s.Operation, node, hospital, cast, CountOf(s.Operation), batchSize, validity), s.Percent)).ToList();
            // The signed transactions' garbage is collected before the load, not during it.
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);

            var load = await new LoadRun(operations, nClients, TimeSpan.FromSeconds(warmSeconds), TimeSpan.FromSeconds(seconds), targetRate, output).RunAsync(ct);
            var health = await api.GetFromJsonAsync<NodeHealth>("api/v1/health", CareLedgerClient.Json, ct);
            var receiptTimes = await TimeReceiptsAsync(node, load.CommittedIds, parse.GetValue(receipts), ct);
            output.Json(new
            {
                workload = name,
                clients = nClients,
                batch = batchSize,
                targetRate,
                warmupSeconds = warmSeconds,
                durationSeconds = Math.Round(load.Seconds, 2),
                submitted = load.Submitted,
                committed = load.Committed,
                rejected = load.Rejected,
                refused = load.Refused,
                notCommittedBy = load.Reasons,
                committedPerSecond = Math.Round(load.Committed / load.Seconds),
                latencyMs = Percentiles.Of(load.Latencies),
                operations = load.Operations,
                receiptMs = new { count = receiptTimes.Length, p50 = Percentiles.At(receiptTimes, 0.50), p99 = Percentiles.At(receiptTimes, 0.99) },
                nodeRssBytes = health?.RssBytes,
                headHeight = health?.Height,
                ranOutOfPresigned = load.RanOut,
            });
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private sealed record NodeHealth(string Status, long Height, long RssBytes);

    private static async Task<double[]> TimeReceiptsAsync(CareLedgerClient node, IReadOnlyList<string> committed, int count, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        var random = new Random(1);
        for (var i = 0; i < Math.Min(count, committed.Count); i++)
        {
            var id = Core.Crypto.Hash.Parse(committed[random.Next(committed.Count)]);
            var started = Stopwatch.GetTimestamp();
            await node.GetReceiptAsync(id, cancellationToken: cancellationToken);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return [.. times.Order()];
    }

    /// <summary>
    /// The clients' loop: each picks an operation by its share, calls it, and records the call's latency under the operation and
    /// each committed transaction's under the whole. With a target rate, call k starts when the transactions before it are due
    /// (open loop), whoever makes it.
    /// </summary>
    private sealed class LoadRun(IReadOnlyList<(BenchOperation Operation, int Percent)> operations, int clients, TimeSpan warmup, TimeSpan measured, int rate, CliOutput output)
    {
        private readonly ConcurrentBag<double> _latencies = [];
        private readonly ConcurrentQueue<string> _committedIds = new();
        private readonly ConcurrentDictionary<string, long> _reasons = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _calls = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, bool> _ranOut = new(StringComparer.Ordinal);
        private readonly Lock _pace = new();
        private long _committed, _rejected, _refused, _submitted;
        private double _nextDue;

        public long Submitted => _submitted;

        public long Committed => _committed;

        public long Rejected => _rejected;

        public long Refused => _refused;

        public double Seconds { get; private set; }

        public double[] Latencies => [.. _latencies.Order()];

        public IReadOnlyList<string> CommittedIds => [.. _committedIds];

        public IReadOnlyDictionary<string, long> Reasons => _reasons.OrderByDescending(r => r.Value).ToDictionary(r => r.Key, r => r.Value);

        public IReadOnlyDictionary<string, object> Operations => _calls.ToDictionary(c => c.Key, c =>
        {
            var sorted = c.Value.Order().ToArray();
            return (object)new { calls = sorted.Length, perSecond = Math.Round(sorted.Length / Seconds, 1), latencyMs = Percentiles.Of(sorted) };
        });

        public string[] RanOut => [.. _ranOut.Keys];

        public async Task<LoadRun> RunAsync(CancellationToken cancellationToken)
        {
            var progress = output.Progress("committed");
            var run = Stopwatch.StartNew();
            var end = warmup + measured;
            var totalShare = operations.Sum(o => o.Percent);
            await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
            {
                var random = new Random(client);
                while (run.Elapsed < end)
                {
                    var operation = Pick(random.Next(totalShare));
                    if (rate > 0 && await PaceAsync(run, operation, cancellationToken) is false)
                    {
                        continue;
                    }
                    var sent = run.Elapsed;
                    IReadOnlyList<Client.Wire.SubmitOutcome>? outcomes;
                    try
                    {
                        outcomes = await operation.CallAsync(cancellationToken);
                    }
                    catch (CareLedgerException ex)
                    {
                        outcomes = [new(null, "refused", ex.Code, ex.Message)];
                    }
                    if (outcomes is null)
                    {
                        _ranOut[operation.Name] = true;
                        break;
                    }
                    var latency = (run.Elapsed - sent).TotalMilliseconds;
                    if (sent >= warmup)
                    {
                        Record(operation.Name, outcomes, latency);
                        progress.Report(Interlocked.Read(ref _committed));
                    }
                }
            }, cancellationToken)));
            Seconds = (run.Elapsed - warmup).TotalSeconds;
            output.EndProgress();
            return this;
        }

        private BenchOperation Pick(int draw)
        {
            foreach (var (operation, percent) in operations)
            {
                if ((draw -= percent) < 0)
                {
                    return operation;
                }
            }
            return operations[^1].Operation;
        }

        // Waits until the call's transactions are due; false when the measured time ended meanwhile.
        private async Task<bool> PaceAsync(Stopwatch run, BenchOperation operation, CancellationToken cancellationToken)
        {
            TimeSpan due;
            lock (_pace)
            {
                due = TimeSpan.FromSeconds(_nextDue);
                _nextDue += (double)operation.TransactionsPerCall / rate;
            }
            if (due > run.Elapsed)
            {
                await Task.Delay(due - run.Elapsed, cancellationToken);
            }
            return run.Elapsed < warmup + measured;
        }

        private void Record(string operation, IReadOnlyList<Client.Wire.SubmitOutcome> outcomes, double latency)
        {
            Interlocked.Add(ref _submitted, outcomes.Count);
            var allCommitted = true;
            foreach (var outcome in outcomes)
            {
                switch (outcome.Status)
                {
                    case "committed":
                        Interlocked.Increment(ref _committed);
                        _latencies.Add(latency);
                        if (outcome.Id is { } id && _committedIds.Count < 100_000)
                        {
                            _committedIds.Enqueue(id);
                        }
                        break;
                    case "rejected":
                        allCommitted = false;
                        Interlocked.Increment(ref _rejected);
                        _reasons.AddOrUpdate(outcome.Code ?? "rejected", 1, (_, n) => n + 1);
                        break;
                    default:
                        allCommitted = false;
                        Interlocked.Increment(ref _refused);
                        _reasons.AddOrUpdate(outcome.Code ?? "refused", 1, (_, n) => n + 1);
                        break;
                }
            }
            if (allCommitted)
            {
                _calls.GetOrAdd(operation, _ => []).Add(latency);
            }
        }
    }
}
