using CareLedger.Core.Ledger;

namespace CareLedger.Storage;

/// <summary>
/// A block as the store holds it: the signed bytes (<see cref="Block"/>) and the columns the store derived from them to
/// index and look them up, which an audit recomputes and compares rather than trusts.
/// </summary>
public sealed record StoredBlock(RecordedBlock Block, BlockRow Row, IReadOnlyList<TransactionRow> Rows);

/// <summary>The derived columns of a <c>blocks</c> row.</summary>
public readonly record struct BlockRow(long Height, byte[] Hash, long Timestamp, long FirstLogIndex);

/// <summary>The derived columns of a <c>transactions</c> row (everything but <c>raw</c> and <c>result</c>).</summary>
public readonly record struct TransactionRow(long LogIndex, byte[] Id, long IdKey, long Height, byte[] Signer, long Nonce, long NotAfter, long Status);
