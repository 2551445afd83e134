using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.Cose;
using CareLedger.Core.Crypto;
using CareLedger.Core.Encoding;
using CareLedger.Core.Merkle;

namespace CareLedger.Core.Ledger;

/// <summary>
/// A receipt as a COSE receipt (RFC 9942, COSE Receipts for Merkle tree proofs) with verifiable data
/// structure RFC9162_SHA256, so that third-party transparency tooling can check it: a COSE_Sign1 by the
/// node key, protected header <c>{alg: ES256, kid, vds: 1}</c>, unprotected header
/// <c>{vdp: {-1: [bstr .cbor [tree-size, leaf-index, [hash…]]]}}</c>, and a detached payload — the log
/// root the inclusion proof leads to. The leaf is the canonical result entry.
/// </summary>
public static class CoseReceipt
{
    private static readonly CoseHeaderLabel VerifiableDataStructure = new(395);
    private static readonly CoseHeaderLabel VerifiableDataProofs = new(396);
    private const int Rfc9162Sha256 = 1;
    private const int InclusionProofs = -1;

    /// <summary>Signs the root of a tree of <paramref name="treeSize"/> leaves and attaches the inclusion proof of <paramref name="leafIndex"/>.</summary>
    public static byte[] Create(SigningKey nodeKey, long treeSize, long leafIndex, IReadOnlyList<Hash> proof, Hash root)
    {
        var protectedHeaders = new CoseHeaderMap
        {
            [CoseHeaderLabel.KeyIdentifier] = CoseHeaderValue.FromBytes(nodeKey.Id.Value.Span),
            [VerifiableDataStructure] = CoseHeaderValue.FromInt32(Rfc9162Sha256),
        };
        var unprotectedHeaders = new CoseHeaderMap { [VerifiableDataProofs] = CoseHeaderValue.FromEncodedValue(EncodeProofs(treeSize, leafIndex, proof)) };
        var signer = new CoseSigner(nodeKey.Ecdsa, HashAlgorithmName.SHA256, protectedHeaders, unprotectedHeaders);
        return CoseSign1Message.SignDetached(root.Span.ToArray(), signer);
    }

    /// <summary>
    /// Checks a COSE receipt for <paramref name="leafHash"/> against trusted keys: the structure is
    /// RFC9162_SHA256, the proof leads to a root, and a trusted key signed that root. Returns the proven
    /// (tree size, leaf index), or null with <paramref name="reason"/> set.
    /// </summary>
    public static (long TreeSize, long LeafIndex)? Verify(ReadOnlySpan<byte> receipt, Hash leafHash, IReadOnlyDictionary<KeyId, PublicKey> trusted, out string? reason)
    {
        try
        {
            var message = CoseMessage.DecodeSign1(receipt);
            if (!message.ProtectedHeaders.TryGetValue(VerifiableDataStructure, out var vds) || vds.GetValueAsInt32() != Rfc9162Sha256)
            {
                reason = "not an RFC9162_SHA256 receipt";
                return null;
            }
            var kid = message.ProtectedHeaders[CoseHeaderLabel.KeyIdentifier].GetValueAsBytes();
            if (kid.Length != Hash.Size || !trusted.TryGetValue(new KeyId(Hash.FromBytes(kid)), out var key))
            {
                reason = "the receipt is not signed by a trusted key";
                return null;
            }
            var (size, index, proof) = DecodeProofs(message.UnprotectedHeaders[VerifiableDataProofs].EncodedValue);
            var root = MerkleProofs.RootFromInclusionProof(leafHash, index, size, proof);
            if (root is null)
            {
                reason = "the inclusion proof does not fit the leaf's position";
                return null;
            }
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(key.SubjectPublicKeyInfo, out _);
            if (!message.VerifyDetached(ecdsa, root.Value.Span))
            {
                reason = "the signature does not cover the root the proof leads to";
                return null;
            }
            reason = null;
            return (size, index);
        }
        catch (Exception ex) when (ex is CryptographicException or CborContentException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            reason = $"not a COSE receipt: {ex.Message}";
            return null;
        }
    }

    private static byte[] EncodeProofs(long treeSize, long leafIndex, IReadOnlyList<Hash> proof)
    {
        var inner = CanonicalCbor.CreateWriter();
        inner.WriteStartArray(3);
        inner.WriteInt64(treeSize);
        inner.WriteInt64(leafIndex);
        inner.WriteStartArray(proof.Count);
        foreach (var hash in proof)
        {
            inner.WriteByteString(hash.Span);
        }
        inner.WriteEndArray();
        inner.WriteEndArray();
        var outer = CanonicalCbor.CreateWriter();
        outer.WriteStartMap(1);
        outer.WriteInt32(InclusionProofs);
        outer.WriteStartArray(1);
        outer.WriteByteString(inner.Encode());
        outer.WriteEndArray();
        outer.WriteEndMap();
        return outer.Encode();
    }

    private static (long Size, long Index, List<Hash> Proof) DecodeProofs(ReadOnlyMemory<byte> encoded)
    {
        var outer = new CborReader(encoded);
        outer.ReadStartMap();
        if (outer.ReadInt32() != InclusionProofs)
        {
            throw new FormatException("No inclusion proof in the receipt.");
        }
        outer.ReadStartArray();
        var inner = new CborReader(outer.ReadByteString());
        inner.ReadStartArray();
        var size = inner.ReadInt64();
        var index = inner.ReadInt64();
        var count = inner.ReadStartArray() ?? throw new FormatException("Indefinite proof.");
        var proof = new List<Hash>(count);
        for (var i = 0; i < count; i++)
        {
            proof.Add(Hash.FromBytes(inner.ReadByteString()));
        }
        return (size, index, proof);
    }
}
