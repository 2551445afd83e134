namespace CareLedger.Ledger.Audit;

/// <summary>What an audit checked, and the first failure if any.</summary>
public sealed record AuditReport(long Blocks, long Transactions, int StateKeys, AuditFailure? Failure)
{
    public bool Passed => Failure is null;
}
