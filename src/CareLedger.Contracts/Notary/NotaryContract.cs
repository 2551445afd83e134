using System.Text.RegularExpressions;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.Notary;

/// <summary>
/// Anchors salted document hashes. <c>notary.anchor {hash, documentType}</c>: the first anchoring of a
/// hash is kept; anchoring it again commits without writing and points at the first one.
/// </summary>
public sealed partial class NotaryContract : IContract
{
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex DocumentTypePattern();

    public string Name => "notary";

    public bool Handles(string action) => action == "anchor";

    /// <summary>The state key of an anchored hash.</summary>
    public static string AnchorKey(string hash) => $"notary/{hash}";

    public void Execute(ContractCall call)
    {
        var hash = call.Args.GetString("hash");
        if (!Identifiers.IsHexHash(hash))
        {
            throw ContractCall.Reject(NotaryErrors.BadHash, "hash must be 64 lowercase hex digits (SHA-256 of salt and document).");
        }
        var documentType = call.Args.GetString("documentType");
        if (!DocumentTypePattern().IsMatch(documentType))
        {
            throw ContractCall.Reject(NotaryErrors.BadDocumentType, "documentType is 1-64 of [a-z0-9._-].");
        }
        var existing = StateJson.Read<AnchorRecord>(call.State.Get(AnchorKey(hash)));
        if (existing is not null)
        {
            call.Emit("notary.already_anchored", ("hash", hash), ("firstTransaction", existing.Transaction), ("firstHeight", existing.Height.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return;
        }
        call.State.Put(AnchorKey(hash), StateJson.Write(new AnchorRecord(call.Transaction.Id.ToString(), call.Block.Height)));
        call.Emit("notary.anchored", ("hash", hash), ("documentType", documentType));
    }
}
