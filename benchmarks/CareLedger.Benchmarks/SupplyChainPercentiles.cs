using System.Diagnostics;
using CareLedger.Contracts;
using CareLedger.Contracts.SupplyChain;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Testing;

namespace CareLedger.Benchmarks;

/// <summary>
/// Issue 4's targets on a SQLite file: commission 1,000,000 units (10 blocks of 100,000), then per-call
/// percentiles of package verification and unit trace at that size, then the recall of a 100,000-unit lot:
/// <c>dotnet run -c Release --project benchmarks/CareLedger.Benchmarks -- supply-percentiles</c>.
/// </summary>
public static class SupplyChainPercentiles
{
    private const string Gtin = "09506000134352";

    public static void Run(int lots = 10, int unitsPerLot = 100_000, int samples = 200_000)
    {
        using var chain = TestChain.OnDisk();
        using var manufacturer = SigningKey.Generate();
        Commit(chain, chain.Sign(chain.OrgKeys[0], "identity.propose_organisation",
            $$"""{"organisation":"org:acme-pharma","kind":"Manufacturer","governing":false,"publicKeys":["{{Convert.ToBase64String(manufacturer.PublicKey.SubjectPublicKeyInfo)}}"]}"""));
        Commit(chain, chain.Sign(manufacturer, "supply.register_product",
            $$"""{"gtin":"{{Gtin}}","nationalCode":"NDC 12345-678-90","name":"Metformin","strength":"500 mg","form":"tablet","packSize":60}"""));

        var blockTimes = new List<double>();
        for (var lot = 0; lot < lots; lot++)
        {
            var tx = chain.Sign(manufacturer, "supply.commission",
                $$$"""{"gtin":"{{{Gtin}}}","lot":"LOT{{{lot}}}","expiry":"301200","serialRange":{"prefix":"S","start":{{{lot * unitsPerLot}}},"count":{{{unitsPerLot}}},"width":8}}""");
            var started = Stopwatch.GetTimestamp();
            Commit(chain, tx);
            blockTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        Console.WriteLine($"commissioned {lots * unitsPerLot:N0} units in {lots} blocks: per block {blockTimes.Min():F0}-{blockTimes.Max():F0} ms, total {blockTimes.Sum() / 1000:F1} s");

        var random = new Random(7);
        var today = new DateOnly(2027, 6, 1);
        string Serial() => "S" + random.Next(lots * unitsPerLot).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
        var verify = Measure(samples, () =>
        {
            var serial = Serial();
            var lot = "LOT" + (int.Parse(serial.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) / unitsPerLot);
            var code = new Gs1Code([KeyValuePair.Create("01", Gtin), KeyValuePair.Create("17", "301231"), KeyValuePair.Create("10", lot), KeyValuePair.Create("21", serial)])
            {
                Expiry = new DateOnly(2030, 12, 31),
            };
            if (!Verification.Verify(chain.Engine.State, code, today).Verified)
            {
                throw new InvalidOperationException($"{serial} did not verify");
            }
        });
        Console.WriteLine($"verification at {lots * unitsPerLot:N0} units: {verify}");
        var trace = Measure(samples, () =>
        {
            var unit = StateJson.Read<UnitRecord>(chain.Engine.State.Get(SupplyKeys.Unit(Gtin, Serial())))!;
            if (unit.History.Count == 0)
            {
                throw new InvalidOperationException("no history");
            }
        });
        Console.WriteLine($"unit trace (record with history) at {lots * unitsPerLot:N0} units: {trace}");

        var recall = chain.Sign(manufacturer, "supply.recall", $$"""{"gtin":"{{Gtin}}","lot":"LOT0","reason":"benchmark recall"}""");
        var recallStarted = Stopwatch.GetTimestamp();
        var block = Commit(chain, recall);
        Console.WriteLine($"recall of a {unitsPerLot:N0}-unit lot: one block ({block.Header.Height}), {Stopwatch.GetElapsedTime(recallStarted).TotalMilliseconds:F1} ms");
        Console.WriteLine($"database: {BenchmarkFiles.StoreMiB(chain.DatabasePath)} MiB with its log, process RSS {Environment.WorkingSet / 1024 / 1024} MiB");
    }

    private static Block Commit(TestChain chain, Transaction tx)
    {
        var block = chain.Commit(tx);
        if (block.Results[0].Status != TransactionStatus.Committed)
        {
            throw new InvalidOperationException($"{tx.Type}: {block.Results[0].Code} {block.Results[0].Message}");
        }
        return block;
    }

    internal static string Measure(int samples, Action action)
    {
        for (var i = 0; i < 10_000; i++)
        {
            action();
        }
        var times = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        }
        Array.Sort(times);
        double P(double p) => Math.Round(times[(int)Math.Ceiling(p * times.Length) - 1], 1);
        return $"n={samples} p50={P(0.50)}us p95={P(0.95)}us p99={P(0.99)}us p99.9={P(0.999)}us max={Math.Round(times[^1], 1)}us";
    }
}
