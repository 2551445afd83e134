namespace CareLedger.Ledger.Ordering;

/// <summary>When the orderer closes a block: whichever limit is reached first.</summary>
public sealed record BlockCutOptions
{
    /// <summary>Most transactions in one block.</summary>
    public int MaxTransactions { get; init; } = 2_000;

    /// <summary>Most encoded transaction bytes in one block.</summary>
    public int MaxBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Longest wait after the first transaction of a block before it is cut.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMilliseconds(20);
}
