namespace CareLedger.Ledger.Execution;

/// <summary>Read access to world state as of some point (committed, or with pending writes on top).</summary>
public interface IStateReader
{
    /// <summary>The value at <paramref name="key"/>, or null when absent.</summary>
    byte[]? Get(string key);
}
