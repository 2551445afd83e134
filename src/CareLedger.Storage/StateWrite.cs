namespace CareLedger.Storage;

/// <summary>One world-state write of a block: a new value, or null to delete the key.</summary>
public readonly record struct StateWrite(string Key, byte[]? Value);
