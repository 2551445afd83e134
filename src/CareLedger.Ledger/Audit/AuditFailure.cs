namespace CareLedger.Ledger.Audit;

/// <summary>The first thing an audit found wrong, and the height it concerns.</summary>
public sealed record AuditFailure(long Height, string Reason)
{
    public override string ToString() => $"height {Height}: {Reason}";
}
