using System.Diagnostics;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Testing;

namespace CareLedger.Benchmarks;

/// <summary>
/// Issue 2's receipt target at size: commit 1,000,000 notary transactions to a SQLite file (blocks of 2,000), then
/// per-call percentiles of receipt generation (the stored result and its RFC 9162 inclusion proof against the head,
/// read from the Merkle nodes on disk) and of offline receipt verification:
/// <c>dotnet run -c Release --project benchmarks/CareLedger.Benchmarks -- receipt-percentiles</c>.
/// </summary>
public static class ReceiptPercentiles
{
    public static void Run(int transactions = 1_000_000, int perBlock = 2_000, int samples = 100_000)
    {
        using var chain = TestChain.OnDisk();
        var ids = new Hash[transactions];
        var started = Stopwatch.GetTimestamp();
        for (var done = 0; done < transactions; done += perBlock)
        {
            var batch = Enumerable.Range(0, perBlock).Select(_ => chain.Anchor()).ToArray();
            var block = chain.Commit(batch);
            if (block.Results.Any(r => r.Status != TransactionStatus.Committed))
            {
                throw new InvalidOperationException($"block {block.Header.Height} rejected a transaction");
            }
            for (var i = 0; i < perBlock; i++)
            {
                ids[done + i] = batch[i].Id;
            }
        }
        Console.WriteLine($"signed and committed {transactions:N0} transactions in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s; " +
            $"log size {chain.Engine.Head.Header.LogSize:N0}, database {BenchmarkFiles.StoreMiB(chain.DatabasePath)} MiB with its log");

        var random = new Random(11);
        Receipt? last = null;
        var generation = SupplyChainPercentiles.Measure(samples, () =>
            last = chain.Engine.GetReceipt(ids[random.Next(ids.Length)]) ?? throw new InvalidOperationException("no receipt"));
        Console.WriteLine($"receipt generation at {transactions:N0} transactions: {generation}");

        var receipts = Enumerable.Range(0, 1_000).Select(_ => chain.Engine.GetReceipt(ids[random.Next(ids.Length)])!).ToArray();
        var n = 0;
        var verification = SupplyChainPercentiles.Measure(samples, () =>
        {
            if (receipts[n++ % receipts.Length].Verify(chain.Validators) is { } problem)
            {
                throw new InvalidOperationException(problem);
            }
        });
        Console.WriteLine($"receipt verification (header signature, proof, leaf): {verification}");
        Console.WriteLine($"proof length {last!.Proof.Count} hashes; process RSS {Environment.WorkingSet / 1024 / 1024} MiB");
    }
}
