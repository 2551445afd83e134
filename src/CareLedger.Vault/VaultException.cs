namespace CareLedger.Vault;

/// <summary>A vault refusal with a stable code (<c>vault.not_found</c>, <c>vault.erased</c>, <c>vault.tampered</c>, <c>vault.too_large</c>, <c>vault.wrong_key</c>).</summary>
public sealed class VaultException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
