using CareLedger.Core.Crypto;
using CareLedger.Core.Merkle;

namespace CareLedger.Core.Tests.Merkle;

public class MerkleProofsTests
{
    private static readonly MerkleLog Log = MemoryMerkleNodeStore.BuildLog(MerkleVectors.Leaves);
    private static Hash Leaf(int i) => MerkleHasher.HashLeaf(MerkleVectors.Leaves[i]);

    [Fact]
    public void Reference_inclusion_proofs_verify()
    {
        foreach (var (index, size, proof) in MerkleVectors.Inclusion)
        {
            Assert.True(MerkleProofs.VerifyInclusion(Leaf((int)index), index, size, proof, MerkleVectors.Roots[(int)size]));
        }
    }

    [Fact]
    public void Reference_consistency_proofs_verify()
    {
        foreach (var (size1, size2, proof) in MerkleVectors.Consistency)
        {
            Assert.True(MerkleProofs.VerifyConsistency(size1, size2, MerkleVectors.Roots[(int)size1], MerkleVectors.Roots[(int)size2], proof));
        }
    }

    [Theory]
    [InlineData(8, 8)]
    [InlineData(-1, 8)]
    [InlineData(0, 0)]
    [InlineData(9, 8)]
    public void Inclusion_with_an_index_outside_the_tree_is_rejected(long index, long size)
    {
        Assert.False(MerkleProofs.VerifyInclusion(Leaf(0), index, size, Log.InclusionProof(0, 8), MerkleVectors.Roots[8]));
    }

    [Fact]
    public void Inclusion_proofs_of_the_wrong_length_are_rejected()
    {
        var proof = Log.InclusionProof(5, 8);
        Assert.False(MerkleProofs.VerifyInclusion(Leaf(5), 5, 8, proof.Take(2).ToList(), MerkleVectors.Roots[8]));
        Assert.False(MerkleProofs.VerifyInclusion(Leaf(5), 5, 8, [.. proof, proof[0]], MerkleVectors.Roots[8]));
        Assert.False(MerkleProofs.VerifyInclusion(Leaf(5), 5, 8, [], MerkleVectors.Roots[8]));
    }

    [Fact]
    public void A_single_leaf_tree_needs_an_empty_proof()
    {
        Assert.True(MerkleProofs.VerifyInclusion(Leaf(0), 0, 1, [], MerkleVectors.Roots[1]));
        Assert.False(MerkleProofs.VerifyInclusion(Leaf(0), 0, 1, [Leaf(1)], MerkleVectors.Roots[1]));
    }

    [Fact]
    public void Inclusion_of_another_leaf_or_at_another_index_fails()
    {
        var proof = Log.InclusionProof(5, 8);
        Assert.False(MerkleProofs.VerifyInclusion(Leaf(4), 5, 8, proof, MerkleVectors.Roots[8]));
        Assert.False(MerkleProofs.VerifyInclusion(Leaf(5), 4, 8, proof, MerkleVectors.Roots[8]));
        Assert.False(MerkleProofs.VerifyInclusion(Leaf(5), 5, 7, proof, MerkleVectors.Roots[7]));
        Assert.False(MerkleProofs.VerifyInclusion(Leaf(5), 5, 4, proof, MerkleVectors.Roots[8]));
    }

    [Fact]
    public void Consistency_edge_cases_follow_RFC_9162()
    {
        var r = MerkleVectors.Roots;
        Assert.True(MerkleProofs.VerifyConsistency(8, 8, r[8], r[8], []));
        Assert.False(MerkleProofs.VerifyConsistency(8, 8, r[8], r[8], [r[1]]));
        Assert.False(MerkleProofs.VerifyConsistency(8, 8, r[7], r[8], []));
        Assert.False(MerkleProofs.VerifyConsistency(0, 8, r[0], r[8], []));
        Assert.False(MerkleProofs.VerifyConsistency(5, 4, r[5], r[4], []));
        Assert.False(MerkleProofs.VerifyConsistency(2, 8, r[2], r[8], []));
        var proof = Log.ConsistencyProof(6, 8);
        Assert.False(MerkleProofs.VerifyConsistency(6, 8, r[6], r[8], proof.Take(2).ToList()));
        Assert.False(MerkleProofs.VerifyConsistency(6, 8, r[6], r[8], [.. proof, proof[0]]));
        Assert.False(MerkleProofs.VerifyConsistency(6, 8, r[5], r[8], proof));
    }

    [Fact]
    public void Hashes_that_are_not_32_bytes_cannot_be_built()
    {
        Assert.Throws<FormatException>(() => Hash.FromBytes(new byte[31]));
        Assert.Throws<FormatException>(() => Hash.FromBytes(new byte[33]));
        Assert.False(Hash.TryParse("abcd", out _));
        Assert.False(Hash.TryParse(new string('z', 64), out _));
    }
}
