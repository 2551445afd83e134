namespace CareLedger.Ledger.Execution;

/// <summary>What a contract may know about the block it runs in. The timestamp is its only clock.</summary>
public sealed record BlockContext(string Chain, long Height, long Timestamp);
