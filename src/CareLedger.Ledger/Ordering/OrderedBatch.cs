using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;

namespace CareLedger.Ledger.Ordering;

/// <summary>
/// A batch in its final order, with the block timestamp ordering assigned to it. <paramref name="Proposer"/>
/// is the node that cut it (a Raft leader), so that every node derives the same header; null means this node.
/// </summary>
public sealed record OrderedBatch(long Timestamp, IReadOnlyList<Transaction> Transactions, KeyId? Proposer = null);
