namespace CareLedger.Ledger.Execution;

/// <summary>The narrow state interface a contract sees: key/value reads and writes, nothing else.</summary>
public interface IContractState : IStateReader
{
    /// <summary>Writes <paramref name="value"/> at <paramref name="key"/>.</summary>
    void Put(string key, byte[] value);

    /// <summary>Removes <paramref name="key"/>.</summary>
    void Delete(string key);
}
