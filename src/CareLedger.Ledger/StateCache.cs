using System.Collections.Concurrent;
using CareLedger.Ledger.Execution;

namespace CareLedger.Ledger;

/// <summary>
/// Keeps hot committed state (identity records: keys, organisations, members) in memory for admission
/// and execution. Filled on read, overwritten with every committed block's writes, so a revocation
/// is seen from the block that commits it. Only keys the predicate accepts are kept, which bounds it.
/// </summary>
public sealed class StateCache(Func<string, bool> cacheable)
{
    private readonly ConcurrentDictionary<string, byte[]?> _values = new(StringComparer.Ordinal);

    /// <summary>The value from the cache, or read through <paramref name="committed"/> and remembered.</summary>
    public byte[]? Get(string key, IStateReader committed)
    {
        if (!cacheable(key))
        {
            return committed.Get(key);
        }
        if (_values.TryGetValue(key, out var cached))
        {
            return cached;
        }
        var value = committed.Get(key);
        // TryAdd never overwrites a value Apply put there meanwhile, so a stale read cannot win.
        // Absent keys are not remembered: lookups of random key ids must not grow the cache.
        if (value is not null)
        {
            _values.TryAdd(key, value);
        }
        return value;
    }

    /// <summary>Records a committed block's writes (null = deleted, kept as a tombstone).</summary>
    public void Apply(IEnumerable<KeyValuePair<string, byte[]?>> writes)
    {
        foreach (var (key, value) in writes)
        {
            if (cacheable(key))
            {
                _values[key] = value;
            }
        }
    }

    /// <summary>A reader that goes through this cache to <paramref name="committed"/>.</summary>
    public IStateReader Over(IStateReader committed) => new Reader(this, committed);

    private sealed class Reader(StateCache cache, IStateReader committed) : IStateReader
    {
        public byte[]? Get(string key) => cache.Get(key, committed);
    }
}
