namespace CareLedger.Contracts.SupplyChain.Epcis;

/// <summary>An EPCIS document or event this node cannot accept, with a stable code (<c>epcis.*</c>).</summary>
public sealed class EpcisException(string code, string message) : FormatException(message)
{
    public string Code { get; } = code;
}
