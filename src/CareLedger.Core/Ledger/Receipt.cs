using CareLedger.Core.Crypto;
using CareLedger.Core.Merkle;

namespace CareLedger.Core.Ledger;

/// <summary>
/// Offline evidence that a transaction had a given outcome: the result entry, its position in the
/// ledger's log, an RFC 9162 inclusion proof, and the signed header whose log root the proof leads to.
/// </summary>
public sealed record Receipt(TransactionResult Result, long LogIndex, IReadOnlyList<Hash> Proof, SignedBlockHeader SignedHeader)
{
    /// <summary>
    /// Checks the receipt without a node: the header is signed by at least <paramref name="required"/> trusted
    /// keys (a consortium's majority, say) and the proof leads from the result entry's leaf hash to the
    /// header's log root. Returns null when valid, else the reason.
    /// </summary>
    public string? Verify(IReadOnlyDictionary<KeyId, PublicKey> trustedKeys, int required = 1)
    {
        var header = SignedHeader.Header;
        if (!SignedHeader.HasValidSignatures(trustedKeys, required))
        {
            return required == 1
                ? "receipt.bad_header_signature: the header is not signed by a trusted key."
                : $"receipt.bad_header_signature: the header is not signed by {required} trusted keys.";
        }
        if (Result.Height > header.Height)
        {
            return "receipt.header_too_old: the header predates the transaction's block.";
        }
        var leaf = TransactionResultCodec.LeafHash(Result);
        if (!MerkleProofs.VerifyInclusion(leaf, LogIndex, header.LogSize, Proof, header.LogRoot))
        {
            return "receipt.bad_proof: the inclusion proof does not lead to the header's log root.";
        }
        return null;
    }
}
