using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;

namespace CareLedger.Ledger.Execution;

/// <summary>Finds the key that must have signed a transaction, from ledger state (implemented by the identity contract).</summary>
public interface ISignerDirectory
{
    /// <summary>
    /// The public key to verify <paramref name="transaction"/> with, and a rejection when the signer may
    /// not sign now (<see cref="LedgerErrorCodes.UnknownSigner"/>, <see cref="LedgerErrorCodes.InactiveSigner"/>).
    /// A revoked key is still returned with its rejection, so auditors can check old signatures.
    /// </summary>
    SignerLookup Resolve(Transaction transaction, IStateReader state);
}

/// <summary>Result of <see cref="ISignerDirectory.Resolve"/>: a key, or why there is none.</summary>
public readonly record struct SignerLookup(PublicKey? Key, LedgerRejection? Rejection)
{
    public static SignerLookup Found(PublicKey key) => new(key, null);

    public static SignerLookup Refused(string code, string message, PublicKey? key = null) => new(key, new LedgerRejection(code, message));
}
