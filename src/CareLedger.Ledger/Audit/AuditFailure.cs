namespace CareLedger.Ledger.Audit;

/// <summary>
/// The first thing an audit found wrong: the height it concerns, and for a finding in the store rather than in the chain,
/// the table and row (a finding SQLite makes about the file itself has no height: <see cref="Height"/> is -1).
/// </summary>
public sealed record AuditFailure(long Height, string Reason)
{
    /// <summary>The store table the finding is in, if it is about a stored row rather than the chain.</summary>
    public string? Table { get; init; }

    /// <summary>The row's key in <see cref="Table"/>.</summary>
    public string? Row { get; init; }

    public override string ToString() =>
        (Height >= 0 ? $"height {Height}: " : "") + Reason + (Table is null ? "" : $" (table {Table}{(Row is null ? "" : $", row {Row}")})");
}
