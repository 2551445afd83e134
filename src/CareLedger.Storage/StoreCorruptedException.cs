namespace CareLedger.Storage;

/// <summary>Stored data that cannot be decoded: the store was damaged or tampered with.</summary>
public sealed class StoreCorruptedException(string message, Exception? inner = null) : Exception(message, inner);
