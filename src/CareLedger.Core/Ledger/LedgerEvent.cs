using CareLedger.Core.Encoding;

namespace CareLedger.Core.Ledger;

/// <summary>
/// Something a contract announced (e.g. <c>notary.anchored</c>), with identifier-only attributes.
/// Attributes are also kept in canonical CBOR key order so that the encoding is deterministic.
/// </summary>
public sealed class LedgerEvent
{
    /// <summary>Creates an event; attribute keys must be distinct.</summary>
    public LedgerEvent(string type, IEnumerable<KeyValuePair<string, string>> attributes)
    {
        Type = type;
        var ordered = attributes.ToArray();
        Array.Sort(ordered, static (a, b) => CanonicalCbor.CompareKeys(a.Key, b.Key));
        Attributes = new Dictionary<string, string>(ordered, StringComparer.Ordinal);
        InCanonicalOrder = ordered;
    }

    /// <summary>"contract.event".</summary>
    public string Type { get; }

    /// <summary>Identifiers and hashes, never PHI.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; }

    /// <summary>The attributes in the order their encoding lists them.</summary>
    internal IReadOnlyList<KeyValuePair<string, string>> InCanonicalOrder { get; }
}
