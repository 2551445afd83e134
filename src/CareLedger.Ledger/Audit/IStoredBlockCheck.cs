using CareLedger.Core.Ledger;
using CareLedger.Core.Merkle;

namespace CareLedger.Ledger.Audit;

/// <summary>
/// Compares what a store derived from a block (index columns, Merkle nodes) with what replaying the block produced; the
/// chain audit calls it after each block it has replayed and found valid.
/// </summary>
public interface IStoredBlockCheck
{
    /// <summary>Null when the stored rows agree with <paramref name="results"/> and <paramref name="appendedNodes"/>.</summary>
    AuditFailure? Check(RecordedBlock block, IReadOnlyList<TransactionResult> results, IReadOnlyList<MerkleNode> appendedNodes);
}
