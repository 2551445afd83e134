using CareLedger.Core.Merkle;
using CsCheck;
using Hash = CareLedger.Core.Crypto.Hash;

namespace CareLedger.Core.Tests.Merkle;

public class MerkleLogTests
{
    [Fact]
    public void Roots_match_the_RFC_6962_reference_for_every_size()
    {
        for (var n = 0; n <= MerkleVectors.Leaves.Count; n++)
        {
            var log = MemoryMerkleNodeStore.BuildLog(MerkleVectors.Leaves.Take(n));
            Assert.Equal(MerkleVectors.Roots[n], log.Root());
        }
    }

    [Fact]
    public void Past_roots_are_reproduced_from_stored_nodes()
    {
        var log = MemoryMerkleNodeStore.BuildLog(MerkleVectors.Leaves);
        for (var n = 0; n <= MerkleVectors.Leaves.Count; n++)
        {
            Assert.Equal(MerkleVectors.Roots[n], log.RootAt(n));
        }
    }

    [Fact]
    public void Inclusion_proofs_match_the_reference()
    {
        var log = MemoryMerkleNodeStore.BuildLog(MerkleVectors.Leaves);
        foreach (var (index, size, proof) in MerkleVectors.Inclusion)
        {
            Assert.Equal(proof, log.InclusionProof(index, size));
        }
    }

    [Fact]
    public void Consistency_proofs_match_the_reference()
    {
        var log = MemoryMerkleNodeStore.BuildLog(MerkleVectors.Leaves);
        foreach (var (size1, size2, proof) in MerkleVectors.Consistency)
        {
            Assert.Equal(proof, log.ConsistencyProof(size1, size2));
        }
    }

    [Fact]
    public void Appending_creates_only_the_nodes_of_completed_subtrees()
    {
        var store = new MemoryMerkleNodeStore();
        var log = new MerkleLog(store, 0);
        var created = new List<int>();
        for (var i = 0; i < 1024; i++)
        {
            var nodes = log.Append(MerkleHasher.HashLeaf([(byte)i]));
            store.Put(nodes);
            created.Add(nodes.Count);
        }
        // Leaf i creates 1 + (number of trailing one bits of i) nodes: O(log n), never a rehash.
        Assert.Equal(11, created[1023]);
        Assert.Equal(1, created[1022]);
        Assert.True(created.Max() <= 11);
    }

    [Fact]
    public void A_log_reopened_from_its_store_continues_with_the_same_roots()
    {
        var store = new MemoryMerkleNodeStore();
        var log = new MerkleLog(store, 0);
        for (var i = 0; i < 37; i++)
        {
            store.Put(log.Append(MerkleHasher.HashLeaf([(byte)i])));
        }
        var reopened = new MerkleLog(store, 37);
        Assert.Equal(log.Root(), reopened.Root());
        store.Put(log.Append(MerkleHasher.HashLeaf([99])));
        store.Put(reopened.Append(MerkleHasher.HashLeaf([99])));
        Assert.Equal(log.Root(), reopened.Root());
    }

    [Fact]
    public void Proof_requests_outside_the_log_are_refused()
    {
        var log = MemoryMerkleNodeStore.BuildLog(MerkleVectors.Leaves);
        Assert.Throws<ArgumentOutOfRangeException>(() => log.InclusionProof(8, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.InclusionProof(-1, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.InclusionProof(0, 9));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.ConsistencyProof(0, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.ConsistencyProof(5, 4));
    }

    [Fact]
    public void Every_proof_of_every_leaf_of_random_trees_verifies_and_altered_proofs_fail()
    {
        Gen.Int[1, 70].Select(Gen.Int[0, 1_000_000]).Sample((size, seed) =>
        {
            var random = new Random(seed);
            var leaves = Enumerable.Range(0, size).Select(_ => { var b = new byte[random.Next(0, 8)]; random.NextBytes(b); return b; }).ToList();
            var log = MemoryMerkleNodeStore.BuildLog(leaves);
            var root = log.Root();
            for (var i = 0; i < size; i++)
            {
                var leaf = MerkleHasher.HashLeaf(leaves[i]);
                var proof = log.InclusionProof(i, size);
                if (!MerkleProofs.VerifyInclusion(leaf, i, size, proof, root))
                {
                    return false;
                }
                if (proof.Count > 0)
                {
                    var altered = proof.ToList();
                    var k = random.Next(altered.Count);
                    var bytes = altered[k].Span.ToArray();
                    bytes[random.Next(32)] ^= (byte)(1 << random.Next(8));
                    altered[k] = Hash.FromBytes(bytes);
                    if (MerkleProofs.VerifyInclusion(leaf, i, size, altered, root)
                        || MerkleProofs.VerifyInclusion(leaf, i, size, proof.Take(proof.Count - 1).ToList(), root)
                        || MerkleProofs.VerifyInclusion(leaf, i, size, [.. proof, proof[0]], root))
                    {
                        return false;
                    }
                }
            }
            for (var m = 1; m <= size; m++)
            {
                var proof = log.ConsistencyProof(m, size);
                if (!MerkleProofs.VerifyConsistency(m, size, log.RootAt(m), root, proof))
                {
                    return false;
                }
                if (m < size && MerkleProofs.VerifyConsistency(m, size, log.RootAt(m), MerkleHasher.HashLeaf([1, 2, 3]), proof))
                {
                    return false;
                }
            }
            return true;
        }, iter: 60);
    }
}
