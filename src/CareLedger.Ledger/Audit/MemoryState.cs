using CareLedger.Ledger.Execution;

namespace CareLedger.Ledger.Audit;

/// <summary>World state rebuilt in memory by re-execution: key → (value, height that last wrote it).</summary>
public sealed class MemoryState : IStateReader
{
    private readonly Dictionary<string, (byte[] Value, long Height)> _values = new(StringComparer.Ordinal);

    public byte[]? Get(string key) => _values.TryGetValue(key, out var v) ? v.Value : null;

    /// <summary>Number of keys.</summary>
    public int Count => _values.Count;

    /// <summary>Applies a block's writes.</summary>
    public void Apply(IEnumerable<KeyValuePair<string, byte[]?>> writes, long height)
    {
        foreach (var (key, value) in writes)
        {
            if (value is null)
            {
                _values.Remove(key);
            }
            else
            {
                _values[key] = (value, height);
            }
        }
    }

    /// <summary>The value and height at a key, if present.</summary>
    public bool TryGet(string key, out byte[] value, out long height)
    {
        var found = _values.TryGetValue(key, out var v);
        (value, height) = found ? v : ([], -1);
        return found;
    }

    /// <summary>All keys.</summary>
    public IEnumerable<string> Keys => _values.Keys;
}
