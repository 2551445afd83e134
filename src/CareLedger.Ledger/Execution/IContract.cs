namespace CareLedger.Ledger.Execution;

/// <summary>
/// A deterministic domain contract: a function of (state, transaction, block context). No clock but
/// the block's, no randomness, no I/O, no floating point.
/// </summary>
public interface IContract
{
    /// <summary>The contract part of transaction types it handles ("notary").</summary>
    string Name { get; }

    /// <summary>True when it handles <paramref name="action"/>.</summary>
    bool Handles(string action);

    /// <summary>Executes the call or throws <see cref="ContractRejectedException"/>.</summary>
    void Execute(ContractCall call);
}
