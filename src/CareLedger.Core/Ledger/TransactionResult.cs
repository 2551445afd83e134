using CareLedger.Core.Crypto;

namespace CareLedger.Core.Ledger;

/// <summary>
/// The outcome of one included transaction: the entry appended to the ledger's Merkle log.
/// Its encoding (<see cref="TransactionResultCodec"/>) is the leaf input, so a receipt proves the outcome, not only the inclusion.
/// </summary>
public sealed record TransactionResult
{
    /// <summary>Id of the transaction.</summary>
    public required Hash TransactionId { get; init; }

    /// <summary>Height of the block that holds it.</summary>
    public required long Height { get; init; }

    /// <summary>Position within the block.</summary>
    public required int Index { get; init; }

    /// <summary>Committed or rejected by the contract.</summary>
    public required TransactionStatus Status { get; init; }

    /// <summary>Stable rejection code (e.g. <c>identity.not_authorised</c>); null when committed.</summary>
    public string? Code { get; init; }

    /// <summary>Human sentence for a rejection; null when committed.</summary>
    public string? Message { get; init; }

    /// <summary>Events the contract raised (empty when rejected).</summary>
    public IReadOnlyList<LedgerEvent> Events { get; init; } = [];

    /// <summary>SHA-256 over the canonical list of the state writes this transaction made.</summary>
    public required Hash WriteSetDigest { get; init; }
}
