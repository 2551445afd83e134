using BenchmarkDotNet.Attributes;
using CareLedger.Core.Crypto;
using CareLedger.Core.Merkle;

namespace CareLedger.Benchmarks;

/// <summary>Merkle log append and proof generation over a million leaves.</summary>
[MemoryDiagnoser]
public class MerkleBenchmarks
{
    private MemoryMerkleNodeStore _store = null!;
    private MerkleLog _log = null!;
    private readonly Hash _leaf = MerkleHasher.HashLeaf([1, 2, 3]);
    private long _index;

    [Params(1_000_000)]
    public int Leaves { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _store = new MemoryMerkleNodeStore();
        _log = new MerkleLog(_store, 0);
        for (var i = 0; i < Leaves; i++)
        {
            _store.Put(_log.Append(_leaf));
        }
    }

    [Benchmark(Baseline = true)]
    public Hash Leaf_hash() => MerkleHasher.HashLeaf([1, 2, 3]);

    [Benchmark]
    public IReadOnlyList<MerkleNode> Append() => _log.Append(_leaf);

    [Benchmark]
    public IReadOnlyList<Hash> Inclusion_proof() => _log.InclusionProof(_index++ % Leaves, Leaves);

    [Benchmark]
    public IReadOnlyList<Hash> Consistency_proof() => _log.ConsistencyProof(Leaves / 3, Leaves);
}
