using CareLedger.Client.Wire;
using CareLedger.Core.Ledger;
using CareLedger.Ledger.Admission;
using CareLedger.Storage;

namespace CareLedger.Node.Api;

/// <summary>Maps ledger types onto the API's JSON shapes.</summary>
internal static class Views
{
    public static HeaderView Header(SignedBlockHeader signed)
    {
        var h = signed.Header;
        return new HeaderView(h.Chain, h.Height, h.Hash.ToString(), h.PreviousHash.ToString(), h.Timestamp, h.TransactionCount,
            h.TransactionRoot.ToString(), h.LogSize, h.LogRoot.ToString(), h.StateDigest.ToString(), h.StateSet.ToString(), h.Proposer.ToString(),
            signed.Signatures.Select(s => new SignatureView(s.Signer.ToString(), s.Signature.ToString())).ToList(),
            Convert.ToBase64String(BlockHeaderCodec.EncodeSigned(signed)));
    }

    public static BlockView Block(Block block) =>
        new(Header(block.SignedHeader), block.Transactions.Select(t => t.Id.ToString()).ToList());

    public static string Status(TransactionStatus status) => status == TransactionStatus.Committed ? "committed" : "rejected";

    public static TransactionView Transaction(StoredTransaction stored)
    {
        var (tx, result) = (stored.Transaction, stored.Result);
        return new TransactionView(tx.Id.ToString(), Status(result.Status), tx.Type, tx.Signer.ToString(), result.Height,
            result.Index, stored.LogIndex, result.Code, result.Message,
            result.Events.Select(e => new EventView(e.Type, e.Attributes)).ToList(), tx.Args.ToJson());
    }

    /// <summary>What a non-party sees of a transaction: that it exists, its status and where it is; no contents.</summary>
    public static TransactionView Redacted(StoredTransaction stored) =>
        new(stored.Transaction.Id.ToString(), Status(stored.Result.Status), Height: stored.Result.Height, Index: stored.Result.Index, LogIndex: stored.LogIndex);

    public static SubmitOutcome Outcome(AdmissionResult admission) => admission.Accepted
        ? new SubmitOutcome(admission.Transaction!.Id.ToString(), "pending")
        : new SubmitOutcome(admission.Transaction?.Id.ToString(), "refused", admission.Rejection!.Code, admission.Rejection.Message);

    public static SubmitOutcome Outcome(TransactionResult result) =>
        new(result.TransactionId.ToString(), Status(result.Status), result.Code, result.Message, result.Height);
}
