namespace CareLedger.Ledger.Execution;

/// <summary>Maps a transaction type's contract name to its contract.</summary>
public sealed class ContractRegistry
{
    private readonly Dictionary<string, IContract> _contracts = new(StringComparer.Ordinal);

    /// <summary>Registers the given contracts; names must be distinct.</summary>
    public ContractRegistry(IEnumerable<IContract> contracts)
    {
        foreach (var contract in contracts)
        {
            _contracts.Add(contract.Name, contract);
        }
    }

    /// <summary>The contract for a type "contract.action", or null when no contract handles it.</summary>
    public IContract? Find(string type)
    {
        var dot = type.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && _contracts.TryGetValue(type[..dot], out var contract) && contract.Handles(type[(dot + 1)..]) ? contract : null;
    }
}
