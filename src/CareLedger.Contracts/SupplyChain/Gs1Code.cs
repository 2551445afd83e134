namespace CareLedger.Contracts.SupplyChain;

/// <summary>
/// A parsed GS1 identifier: the application identifiers in the order given, and the ones a pharmaceutical
/// package carries (GTIN, serial, lot, expiry) or a logistic unit (SSCC).
/// </summary>
public sealed record Gs1Code(IReadOnlyList<KeyValuePair<string, string>> Elements)
{
    private string? Get(string ai) => Elements.FirstOrDefault(e => e.Key == ai).Value;

    /// <summary>AI (01), 14 digits.</summary>
    public string? Gtin => Get("01");

    /// <summary>AI (21).</summary>
    public string? Serial => Get("21");

    /// <summary>AI (10).</summary>
    public string? Lot => Get("10");

    /// <summary>AI (17) as a date (day 00 already resolved to the month's last day).</summary>
    public DateOnly? Expiry { get; init; }

    /// <summary>AI (00), 18 digits.</summary>
    public string? Sscc => Get("00");

    /// <summary>The bracketed element string, e.g. <c>(01)09506000134352(17)201231(10)ABC(21)1</c>.</summary>
    public override string ToString() => string.Concat(Elements.Select(e => $"({e.Key}){e.Value}"));
}
