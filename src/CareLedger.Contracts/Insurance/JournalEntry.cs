namespace CareLedger.Contracts.Insurance;

/// <summary>
/// One balanced movement in the settlement ledger: <see cref="Amount"/> leaves <see cref="From"/> and reaches
/// <see cref="To"/>; a payment names the claim line it pays.
/// </summary>
public sealed record JournalEntry(long Sequence, string Transaction, long Time, string From, string To, long Amount, string Currency,
    string? Claim, int? Line, string Memo);
