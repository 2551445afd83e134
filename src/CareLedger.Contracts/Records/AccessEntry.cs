namespace CareLedger.Contracts.Records;

/// <summary>
/// One attempt to read a record, released or refused: who, which record and version, for what purpose,
/// the decision and what permitted it (grant or emergency access). The patient's access log.
/// </summary>
public sealed record AccessEntry(string Id, string Record, string Patient, int Version, string Accessor, string Purpose, bool Permit,
    string Reason, string? Grant, string? Emergency, long Timestamp);
