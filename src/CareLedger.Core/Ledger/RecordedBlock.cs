namespace CareLedger.Core.Ledger;

/// <summary>
/// A block as a store or a chain export records it: the signed header, the transactions, and each result's
/// encoding exactly as recorded (the Merkle leaf input). An audit compares re-execution with these bytes, so it
/// neither decodes the recorded results nor encodes them again.
/// </summary>
public sealed record RecordedBlock(SignedBlockHeader SignedHeader, IReadOnlyList<Transaction> Transactions, IReadOnlyList<byte[]> Results)
{
    /// <summary>The header.</summary>
    public BlockHeader Header => SignedHeader.Header;
}
