using CareLedger.Core.Crypto;

namespace CareLedger.Core.Ledger;

/// <summary>A header with the signatures of the nodes that computed it.</summary>
public sealed record SignedBlockHeader(BlockHeader Header, IReadOnlyList<HeaderSignature> Signatures)
{
    /// <summary>Signs a header's hash with a node key.</summary>
    public static SignedBlockHeader Sign(BlockHeader header, SigningKey key) =>
        new(header, [new HeaderSignature(key.Id, key.Sign(header.Hash.Span))]);

    /// <summary>
    /// True when at least <paramref name="required"/> distinct keys among <paramref name="trusted"/> signed this header.
    /// Signatures by unknown keys are ignored; a bad signature by a trusted key makes the header invalid.
    /// </summary>
    public bool HasValidSignatures(IReadOnlyDictionary<KeyId, PublicKey> trusted, int required = 1)
    {
        var valid = new HashSet<KeyId>();
        foreach (var s in Signatures)
        {
            if (!trusted.TryGetValue(s.Signer, out var key))
            {
                continue;
            }
            if (!key.Verify(Header.Hash.Span, s.Signature.Span))
            {
                return false;
            }
            valid.Add(s.Signer);
        }
        return valid.Count >= required;
    }
}
