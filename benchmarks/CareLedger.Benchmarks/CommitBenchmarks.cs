using BenchmarkDotNet.Attributes;
using CareLedger.Core.Ledger;
using CareLedger.Testing;

namespace CareLedger.Benchmarks;

/// <summary>Executing and durably committing one block of notary transactions to a SQLite file.</summary>
[MemoryDiagnoser]
public class CommitBenchmarks
{
    private TestChain _chain = null!;
    private Transaction[] _block = null!;

    [Params(500, 2000)]
    public int BlockSize { get; set; }

    [GlobalSetup]
    public void Setup() => _chain = TestChain.OnDisk();

    [IterationSetup]
    public void Prepare() => _block = Enumerable.Range(0, BlockSize).Select(_ => _chain.Anchor()).ToArray();

    [Benchmark]
    public Block Commit_block() => _chain.Commit(_block);

    [GlobalCleanup]
    public void Cleanup() => _chain.Dispose();
}
