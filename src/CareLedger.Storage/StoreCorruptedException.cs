namespace CareLedger.Storage;

/// <summary>Stored data that cannot be decoded: the store was damaged or tampered with.</summary>
public sealed class StoreCorruptedException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The table the damaged row is in, when known.</summary>
    public string? Table { get; init; }

    /// <summary>The damaged row's key in <see cref="Table"/>, when known.</summary>
    public string? Row { get; init; }
}
