namespace CareLedger.Core.Ledger;

/// <summary>A committed block: its signed header, its transactions in order, and their results.</summary>
public sealed record Block(SignedBlockHeader SignedHeader, IReadOnlyList<Transaction> Transactions, IReadOnlyList<TransactionResult> Results)
{
    /// <summary>The header.</summary>
    public BlockHeader Header => SignedHeader.Header;
}
