namespace CareLedger.Contracts.Records;

/// <summary>One version of a record: its salted content hash, who wrote it and when (block time).</summary>
public sealed record RecordVersion(int Version, string SaltedHash, string Author, long Timestamp);
