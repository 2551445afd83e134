namespace CareLedger.Client;

/// <summary>The node refused a request: its stable code, its sentence and the HTTP status.</summary>
public sealed class CareLedgerException(string code, string message, int status) : Exception($"{code}: {message}")
{
    /// <summary>Stable machine-readable code (e.g. <c>tx.bad_signature</c>).</summary>
    public string Code { get; } = code;

    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>The human sentence.</summary>
    public string Detail { get; } = message;
}
