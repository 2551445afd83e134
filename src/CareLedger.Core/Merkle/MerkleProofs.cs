using CareLedger.Core.Crypto;

namespace CareLedger.Core.Merkle;

/// <summary>Verification of RFC 9162 inclusion (§2.1.3.2) and consistency (§2.1.4.2) proofs, step for step.</summary>
public static class MerkleProofs
{
    /// <summary>
    /// True when <paramref name="proof"/> shows that <paramref name="leafHash"/> is leaf
    /// <paramref name="index"/> of the tree of <paramref name="size"/> leaves with root <paramref name="root"/>.
    /// Proofs that are too short or too long, and indexes outside the tree, are rejected.
    /// </summary>
    public static bool VerifyInclusion(Hash leafHash, long index, long size, IReadOnlyList<Hash> proof, Hash root) =>
        RootFromInclusionProof(leafHash, index, size, proof) == root;

    /// <summary>
    /// The root that <paramref name="proof"/> leads to from leaf <paramref name="index"/> of a tree of
    /// <paramref name="size"/> leaves (RFC 9162 §2.1.3.2 steps 1-6), or null when the proof has the wrong
    /// length for that position or the index is outside the tree.
    /// </summary>
    public static Hash? RootFromInclusionProof(Hash leafHash, long index, long size, IReadOnlyList<Hash> proof)
    {
        if (index < 0 || size <= 0 || index >= size)
        {
            return null;
        }
        var fn = index;
        var sn = size - 1;
        var r = leafHash;
        foreach (var p in proof)
        {
            if (sn == 0)
            {
                return null;
            }
            if ((fn & 1) == 1 || fn == sn)
            {
                r = MerkleHasher.HashChildren(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = MerkleHasher.HashChildren(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 ? r : null;
    }

    /// <summary>
    /// True when <paramref name="proof"/> shows that the tree of <paramref name="size2"/> leaves with root
    /// <paramref name="root2"/> extends the tree of <paramref name="size1"/> leaves with root <paramref name="root1"/>.
    /// Requires 0 &lt; size1 ≤ size2; equal sizes need an empty proof and equal roots.
    /// </summary>
    public static bool VerifyConsistency(long size1, long size2, Hash root1, Hash root2, IReadOnlyList<Hash> proof)
    {
        if (size1 <= 0 || size2 < size1)
        {
            return false;
        }
        if (size1 == size2)
        {
            return proof.Count == 0 && root1 == root2;
        }
        if (proof.Count == 0)
        {
            return false;
        }
        var path = new List<Hash>(proof.Count + 1);
        if ((size1 & (size1 - 1)) == 0)
        {
            path.Add(root1);
        }
        path.AddRange(proof);
        var fn = size1 - 1;
        var sn = size2 - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }
        var fr = path[0];
        var sr = path[0];
        for (var i = 1; i < path.Count; i++)
        {
            var c = path[i];
            if (sn == 0)
            {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = MerkleHasher.HashChildren(c, fr);
                sr = MerkleHasher.HashChildren(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = MerkleHasher.HashChildren(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return fr == root1 && sr == root2 && sn == 0;
    }
}
