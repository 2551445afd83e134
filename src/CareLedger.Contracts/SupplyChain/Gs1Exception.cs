namespace CareLedger.Contracts.SupplyChain;

/// <summary>GS1 data that cannot be accepted, with a stable code (<c>gs1.*</c>) and the reason.</summary>
public sealed class Gs1Exception(string code, string message) : FormatException(message)
{
    public string Code { get; } = code;
}
