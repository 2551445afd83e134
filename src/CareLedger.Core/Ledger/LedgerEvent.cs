namespace CareLedger.Core.Ledger;

/// <summary>
/// Something a contract announced (e.g. <c>notary.anchored</c>), with identifier-only attributes.
/// Attributes are kept sorted by key so that the encoding is deterministic.
/// </summary>
public sealed class LedgerEvent
{
    /// <summary>Creates an event; attribute keys must be distinct.</summary>
    public LedgerEvent(string type, IEnumerable<KeyValuePair<string, string>> attributes)
    {
        Type = type;
        Attributes = new SortedDictionary<string, string>(attributes.ToDictionary(), StringComparer.Ordinal);
    }

    /// <summary>"contract.event".</summary>
    public string Type { get; }

    /// <summary>Identifiers and hashes, never PHI.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; }
}
