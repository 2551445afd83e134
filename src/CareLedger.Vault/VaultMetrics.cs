using System.Diagnostics.Metrics;

namespace CareLedger.Vault;

/// <summary>The vault's instruments (meter <c>CareLedger.Vault</c>): documents stored, decrypted and shredded. No addresses, no sizes per document.</summary>
public static class VaultMetrics
{
    public const string MeterName = "CareLedger.Vault";

    private static readonly Meter Meter = new(MeterName);

    /// <summary><c>operation</c> is <c>put</c>, <c>get</c> or <c>erase</c>.</summary>
    public static readonly Counter<long> Operations = Meter.CreateCounter<long>("careledger.vault.operations", "{operation}", "Vault operations, by kind.");

    internal static void Count(string operation) => Operations.Add(1, new KeyValuePair<string, object?>("operation", operation));
}
