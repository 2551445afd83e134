namespace CareLedger.Ledger;

/// <summary>Stable, machine-readable rejection codes of the ledger itself (contracts add their own).</summary>
public static class LedgerErrorCodes
{
    public const string Malformed = "tx.malformed";
    public const string TooLarge = "tx.too_large";
    public const string WrongChain = "tx.wrong_chain";
    public const string Expired = "tx.expired";
    public const string ValidityTooLong = "tx.validity_too_long";
    public const string UnknownSigner = "tx.unknown_signer";
    public const string InactiveSigner = "tx.inactive_signer";
    public const string BadSignature = "tx.bad_signature";
    public const string Replay = "tx.replay";
    public const string UnknownType = "tx.unknown_type";
    public const string BadArguments = "tx.bad_args";
    public const string MempoolFull = "tx.mempool_full";
    public const string ContractFailed = "contract.failed";
}
