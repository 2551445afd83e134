namespace CareLedger.Ledger.Ordering;

/// <summary>When the orderer closes a block: whichever limit is reached first.</summary>
public sealed record BlockCutOptions
{
    /// <summary>Most transactions in one block.</summary>
    public int MaxTransactions { get; init; } = 2_000;

    /// <summary>Most encoded transaction bytes in one block.</summary>
    public int MaxBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Longest wait after the first transaction of a block before it is cut. Zero is group commit: a block is cut at once with
    /// whatever is queued, and what arrives while it is executed and written joins the next one (the engine asks for the next
    /// batch only once the previous block's write has begun), so one transaction waits for no timer.
    /// </summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The solo default: group commit.</summary>
    public static readonly TimeSpan GroupCommit = TimeSpan.Zero;
}
