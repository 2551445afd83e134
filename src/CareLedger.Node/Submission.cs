using CareLedger.Core.Ledger;

namespace CareLedger.Node;

/// <summary>What became of a transaction the node signed and submitted: the result (committed or rejected), or the code and message of why there is none.</summary>
public sealed record Submission(TransactionResult? Result, string? Code, string? Message)
{
    public bool Committed => Result?.Status == TransactionStatus.Committed;
}
