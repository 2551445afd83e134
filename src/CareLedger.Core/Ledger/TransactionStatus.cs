namespace CareLedger.Core.Ledger;

/// <summary>What became of a transaction that was included in a block.</summary>
public enum TransactionStatus
{
    /// <summary>The contract accepted it and its writes were applied.</summary>
    Committed,

    /// <summary>The contract refused it; nothing was written, the attempt is on the record.</summary>
    Rejected,
}
