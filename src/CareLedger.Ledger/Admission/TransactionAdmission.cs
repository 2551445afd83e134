using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Ledger.Execution;

namespace CareLedger.Ledger.Admission;

/// <summary>
/// The gate in front of ordering: size, canonical encoding, chain, expiry, known and active signer,
/// signature, replay. Stateless checks of a batch run in parallel on all cores.
/// </summary>
public sealed class TransactionAdmission(string chain, ISignerDirectory signers, IStateReader committedState,
    PendingTransactions pending, Func<NonceWindow> committedNonces, AdmissionOptions options, TimeProvider clock,
    VerifiedSignatures? verified = null)
{
    /// <summary>Checks one encoded transaction. Does not queue it.</summary>
    public AdmissionResult Check(ReadOnlyMemory<byte> encoded)
    {
        if (encoded.Length > TransactionCodec.MaxSize)
        {
            return AdmissionResult.Refused(LedgerErrorCodes.TooLarge, $"A transaction is at most {TransactionCodec.MaxSize} bytes; this one is {encoded.Length}.");
        }
        Transaction tx;
        try
        {
            tx = TransactionCodec.Parse(encoded);
        }
        catch (FormatException ex)
        {
            return AdmissionResult.Refused(LedgerErrorCodes.Malformed, ex.Message);
        }
        return Check(tx, signedHere: false);
    }

    /// <summary>
    /// Checks a transaction the node signed a moment ago with a key it holds (<paramref name="signedWith"/>: an access entry, a
    /// screening count): everything but the signature. The node made that signature over these very bytes, so verifying it
    /// would prove nothing; the signer must still be the key the ledger lists as active.
    /// </summary>
    public AdmissionResult CheckSignedHere(Transaction tx, SigningKey signedWith) =>
        tx.Signer != signedWith.Id ? AdmissionResult.Refused(LedgerErrorCodes.BadSignature, "The transaction names another signer than the key that signed it.", tx)
        : tx.Encoded.Length > TransactionCodec.MaxSize ? AdmissionResult.Refused(LedgerErrorCodes.TooLarge, $"A transaction is at most {TransactionCodec.MaxSize} bytes.", tx)
        : Check(tx, signedHere: true);

    private AdmissionResult Check(Transaction tx, bool signedHere)
    {
        if (tx.Chain != chain)
        {
            return AdmissionResult.Refused(LedgerErrorCodes.WrongChain, $"Signed for chain '{tx.Chain}'; this node runs '{chain}'.", tx);
        }
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (tx.NotAfter < now)
        {
            return AdmissionResult.Refused(LedgerErrorCodes.Expired, "The transaction's notAfter has passed.", tx);
        }
        if (tx.NotAfter > now + (long)options.MaxValidity.TotalMilliseconds)
        {
            return AdmissionResult.Refused(LedgerErrorCodes.ValidityTooLong, $"notAfter may be at most {options.MaxValidity.TotalMinutes:0} minutes ahead.", tx);
        }
        var signer = signers.Resolve(tx, committedState);
        if (signer.Rejection is { } refused)
        {
            return new AdmissionResult(tx, refused);
        }
        if (!signedHere && !signer.Key!.Verify(TransactionCodec.SignedBytes(tx), tx.Signature.Span))
        {
            return AdmissionResult.Refused(LedgerErrorCodes.BadSignature, "The signature does not verify with the signer's registered key.", tx);
        }
        verified?.Add(tx.Id, signer.Key!.Id);
        return new AdmissionResult(tx, null);
    }

    /// <summary>Checks a batch; signature checks run in parallel, results keep the input order.</summary>
    public AdmissionResult[] CheckBatch(IReadOnlyList<ReadOnlyMemory<byte>> batch)
    {
        var results = new AdmissionResult[batch.Count];
        if (batch.Count < 16)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                results[i] = Check(batch[i]);
            }
            return results;
        }
        Parallel.For(0, batch.Count, i => results[i] = Check(batch[i]));
        return results;
    }

    /// <summary>Claims the transaction's (signer, nonce); the replay check that makes admission exactly-once.</summary>
    public AdmissionResult Reserve(AdmissionResult checkedResult)
    {
        var result = ReserveChecked(checkedResult);
        LedgerMetrics.Admissions.Add(1, new KeyValuePair<string, object?>("outcome", result.Rejection?.Code ?? "accepted"));
        return result;
    }

    private AdmissionResult ReserveChecked(AdmissionResult checkedResult)
    {
        if (!checkedResult.Accepted)
        {
            return checkedResult;
        }
        var tx = checkedResult.Transaction!;
        if (pending.Count >= options.MaxPending)
        {
            return AdmissionResult.Refused(LedgerErrorCodes.MempoolFull, "The node has too many transactions waiting; retry shortly.", tx);
        }
        return pending.TryReserve(tx, committedNonces(), clock.GetUtcNow().ToUnixTimeMilliseconds())
            ? checkedResult
            : AdmissionResult.Refused(LedgerErrorCodes.Replay, $"Nonce {tx.Nonce} of this signer was already used.", tx);
    }
}
