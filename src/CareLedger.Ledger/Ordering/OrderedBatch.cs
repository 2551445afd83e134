using CareLedger.Core.Ledger;

namespace CareLedger.Ledger.Ordering;

/// <summary>A batch in its final order, with the block timestamp ordering assigned to it.</summary>
public sealed record OrderedBatch(long Timestamp, IReadOnlyList<Transaction> Transactions);
