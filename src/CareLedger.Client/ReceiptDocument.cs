using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;

namespace CareLedger.Client;

/// <summary>
/// A receipt as JSON (GET /api/v1/transactions/{id}/receipt, <c>careledger receipt verify</c>). The
/// canonical result entry and signed header travel as base64 so that verification uses exactly the
/// bytes that were hashed and signed; the other fields are for people.
/// </summary>
/// <remarks>
/// <see cref="Cose"/>, when present, is the same proof as an RFC 9942 COSE receipt (base64), signed by the node.
/// <see cref="Witnessed"/>, when present, is the checkpoint of the receipt's header with witnesses' cosignatures (a C2SP
/// signed note; docs/witnessing.md).
/// </remarks>
public sealed record ReceiptDocument(string TransactionId, string Status, long Height, long LogIndex, long LogSize, string LogRoot,
    string Result, IReadOnlyList<string> Proof, string SignedHeader, string? Cose = null, string? Witnessed = null)
{
    /// <summary>The JSON form of a receipt, with its COSE form and witnessed checkpoint when given.</summary>
    public static ReceiptDocument From(Receipt receipt, byte[]? cose = null, string? witnessed = null)
    {
        var header = receipt.SignedHeader.Header;
        return new ReceiptDocument(receipt.Result.TransactionId.ToString(),
            receipt.Result.Status == TransactionStatus.Committed ? "committed" : "rejected",
            receipt.Result.Height, receipt.LogIndex, header.LogSize, header.LogRoot.ToString(),
            Convert.ToBase64String(TransactionResultCodec.Encode(receipt.Result)),
            receipt.Proof.Select(p => p.ToString()).ToList(),
            Convert.ToBase64String(BlockHeaderCodec.EncodeSigned(receipt.SignedHeader)),
            cose is null ? null : Convert.ToBase64String(cose), witnessed);
    }

    /// <summary>
    /// Checks that every one of <paramref name="witnesses"/> cosigned the checkpoint of this receipt's header: the note
    /// carries a validator's signature (<paramref name="trusted"/>), each witness's cosignature, and the header's log size,
    /// root and hash. Null when it holds (check the receipt itself with <see cref="Verify"/>).
    /// </summary>
    public string? VerifyWitnessed(IReadOnlyList<Witness> witnesses, IEnumerable<PublicKey> trusted)
    {
        if (Witnessed is null)
        {
            return "receipt.not_witnessed: the receipt carries no witnessed checkpoint (ask for it with ?witnessed=true).";
        }
        try
        {
            var checkpoint = Checkpoint.Open(Witnessed, trusted);
            var (body, signatures) = Checkpoint.SplitNote(Witnessed);
            if (witnesses.FirstOrDefault(w => w.CosignedAt(body, signatures) is null) is { } missing)
            {
                return $"receipt.witness_missing: {missing.Name} did not cosign the checkpoint.";
            }
            var header = BlockHeaderCodec.ParseSigned(Convert.FromBase64String(SignedHeader)).Header;
            return checkpoint == Checkpoint.Of(header) ? null : "receipt.witness_mismatch: the witnessed checkpoint is not the receipt's header.";
        }
        catch (FormatException ex)
        {
            return "receipt.bad_witnessed: " + ex.Message;
        }
    }

    /// <summary>
    /// Checks the receipt offline against trusted header signers: the signed header, the inclusion proof
    /// and, when present, the COSE form (which must prove the same leaf at the same position). Null when valid.
    /// <paramref name="required"/> is how many trusted keys must have signed the header (a consortium's majority).
    /// </summary>
    public string? Verify(IReadOnlyDictionary<KeyId, PublicKey> trusted, int required = 1)
    {
        Receipt receipt;
        try
        {
            receipt = ToReceipt();
        }
        catch (Exception ex) when (ex is FormatException or ArgumentNullException)
        {
            // A document missing parts (JSON without "result", "proof" or "signedHeader") is malformed, not a crash.
            return "receipt.malformed: " + ex.Message;
        }
        if (receipt.Verify(trusted, required) is { } reason)
        {
            return reason;
        }
        if (Cose is null)
        {
            return null;
        }
        byte[] cose;
        try
        {
            cose = Convert.FromBase64String(Cose);
        }
        catch (FormatException)
        {
            return "receipt.bad_cose: the COSE receipt is not base64.";
        }
        var proven = CoseReceipt.Verify(cose, TransactionResultCodec.LeafHash(receipt.Result), trusted, out var why);
        return proven is null
            ? "receipt.bad_cose: " + why
            : proven != (receipt.SignedHeader.Header.LogSize, receipt.LogIndex)
                ? "receipt.bad_cose: the COSE receipt proves another position."
                : null;
    }

    /// <summary>Decodes the canonical parts. Throws <see cref="FormatException"/> when they do not decode.</summary>
    public Receipt ToReceipt() => new(
        TransactionResultCodec.Parse(Convert.FromBase64String(Result)),
        LogIndex,
        Proof.Select(Hash.Parse).ToList(),
        BlockHeaderCodec.ParseSigned(Convert.FromBase64String(SignedHeader)));
}
