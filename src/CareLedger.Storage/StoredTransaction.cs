using CareLedger.Core.Ledger;

namespace CareLedger.Storage;

/// <summary>A transaction as stored: where it sits in the chain and in the log, and what became of it.</summary>
public sealed record StoredTransaction(Transaction Transaction, TransactionResult Result, long LogIndex);
