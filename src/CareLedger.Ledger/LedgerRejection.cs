namespace CareLedger.Ledger;

/// <summary>Why the ledger refused something: a stable code and a sentence a person can act on.</summary>
public sealed record LedgerRejection(string Code, string Message)
{
    public override string ToString() => $"{Code}: {Message}";
}
