using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;

namespace CareLedger.Ledger.Execution;

/// <summary>The outcome of executing one ordered batch: a result per transaction and the block's final writes.</summary>
/// <remarks><see cref="SignerKeys"/> holds, per transaction, the key its signature must verify with (null when none is known).</remarks>
public sealed record ExecutedBlock(IReadOnlyList<TransactionResult> Results, StateOverlay BlockWrites, IReadOnlyList<PublicKey?> SignerKeys)
{
    /// <summary>Digest of the block's final writes.</summary>
    public Hash WritesDigest => BlockWrites.Digest();
}
