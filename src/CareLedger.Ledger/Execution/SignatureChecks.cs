using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;

namespace CareLedger.Ledger.Execution;

/// <summary>
/// Signature checks for a whole batch, done in parallel against the keys in force before the block.
/// A transaction whose signer's key changed earlier in the same block is checked again, in order.
/// </summary>
internal sealed class SignatureChecks
{
    private readonly IReadOnlyList<Transaction> _transactions;
    private readonly KeyId?[] _keys;
    private readonly bool[] _valid;

    private SignatureChecks(IReadOnlyList<Transaction> transactions, KeyId?[] keys, bool[] valid)
    {
        _transactions = transactions;
        _keys = keys;
        _valid = valid;
    }

    public static SignatureChecks Precompute(IReadOnlyList<Transaction> transactions, ISignerDirectory signers, IStateReader committed,
        VerifiedSignatures? verified)
    {
        var keys = new KeyId?[transactions.Count];
        var valid = new bool[transactions.Count];
        Parallel.For(0, transactions.Count, i =>
        {
            var tx = transactions[i];
            if (signers.Resolve(tx, committed).Key is { } key)
            {
                keys[i] = key.Id;
                valid[i] = verified?.TryTake(tx.Id, key.Id) == true || key.Verify(TransactionCodec.SignedBytes(tx), tx.Signature.Span);
            }
        });
        return new SignatureChecks(transactions, keys, valid);
    }

    /// <summary>A rejection when transaction <paramref name="index"/> is not signed by <paramref name="key"/>; null when it is (or there is no key, which is refused elsewhere).</summary>
    public LedgerRejection? Check(int index, PublicKey? key)
    {
        if (key is null)
        {
            return null;
        }
        var tx = _transactions[index];
        var valid = _keys[index] == key.Id ? _valid[index] : key.Verify(TransactionCodec.SignedBytes(tx), tx.Signature.Span);
        return valid ? null : new LedgerRejection(LedgerErrorCodes.BadSignature, "The signature does not verify with the signer's key.");
    }
}
