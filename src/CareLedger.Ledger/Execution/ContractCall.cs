using CareLedger.Core.Encoding;
using CareLedger.Core.Ledger;

namespace CareLedger.Ledger.Execution;

/// <summary>One transaction being executed: its envelope, the block, the state, and the events it raises.</summary>
public sealed class ContractCall(Transaction transaction, BlockContext block, IContractState state)
{
    private readonly List<LedgerEvent> _events = [];

    /// <summary>The transaction.</summary>
    public Transaction Transaction { get; } = transaction;

    /// <summary>The block it runs in.</summary>
    public BlockContext Block { get; } = block;

    /// <summary>World state with this transaction's own writes on top.</summary>
    public IContractState State { get; } = state;

    /// <summary>The action part of the type ("anchor" in "notary.anchor").</summary>
    public string Action => Transaction.Type[(Transaction.Type.IndexOf('.', StringComparison.Ordinal) + 1)..];

    /// <summary>The arguments.</summary>
    public TransactionArgs Args => Transaction.Args;

    /// <summary>Events raised so far.</summary>
    public IReadOnlyList<LedgerEvent> Events => _events;

    /// <summary>Raises an event. Attributes must be identifiers or hashes, never PHI.</summary>
    public void Emit(string type, params (string Key, string Value)[] attributes) =>
        _events.Add(new LedgerEvent(type, attributes.Select(a => KeyValuePair.Create(a.Key, a.Value))));

    /// <summary>Refuses the transaction.</summary>
    public static ContractRejectedException Reject(string code, string message) => new(code, message);
}
