using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;

namespace CareLedger.Client;

/// <summary>
/// A receipt as JSON (GET /api/v1/transactions/{id}/receipt, <c>careledger receipt verify</c>). The
/// canonical result entry and signed header travel as base64 so that verification uses exactly the
/// bytes that were hashed and signed; the other fields are for people.
/// </summary>
public sealed record ReceiptDocument(string TransactionId, string Status, long Height, long LogIndex, long LogSize, string LogRoot,
    string Result, IReadOnlyList<string> Proof, string SignedHeader)
{
    /// <summary>The JSON form of a receipt.</summary>
    public static ReceiptDocument From(Receipt receipt)
    {
        var header = receipt.SignedHeader.Header;
        return new ReceiptDocument(receipt.Result.TransactionId.ToString(),
            receipt.Result.Status == TransactionStatus.Committed ? "committed" : "rejected",
            receipt.Result.Height, receipt.LogIndex, header.LogSize, header.LogRoot.ToString(),
            Convert.ToBase64String(TransactionResultCodec.Encode(receipt.Result)),
            receipt.Proof.Select(p => p.ToString()).ToList(),
            Convert.ToBase64String(BlockHeaderCodec.EncodeSigned(receipt.SignedHeader)));
    }

    /// <summary>Decodes the canonical parts. Throws <see cref="FormatException"/> when they do not decode.</summary>
    public Receipt ToReceipt() => new(
        TransactionResultCodec.Parse(Convert.FromBase64String(Result)),
        LogIndex,
        Proof.Select(Hash.Parse).ToList(),
        BlockHeaderCodec.ParseSigned(Convert.FromBase64String(SignedHeader)));
}
