namespace CareLedger.Ledger.Execution;

/// <summary>Thrown by a contract to refuse a transaction; its writes are discarded and the refusal is recorded.</summary>
public sealed class ContractRejectedException(string code, string message) : Exception(message)
{
    /// <summary>Stable code, e.g. <c>identity.not_authorised</c>.</summary>
    public string Code { get; } = code;
}
