using CareLedger.Ledger.Execution;
using CareLedger.Storage;

namespace CareLedger.Ledger;

/// <summary>Committed world state, read from the store (pooled connections, safe from any thread).</summary>
public sealed class StoreStateReader(LedgerStore store) : IStateReader
{
    public byte[]? Get(string key) => store.GetState(key);
}
