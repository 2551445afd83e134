using System.Collections.Concurrent;
using CareLedger.Ledger.Execution;

namespace CareLedger.Ledger;

/// <summary>
/// Keeps recently read committed state in memory, so that hot keys (keys, members, records, grants) are not read from SQLite
/// again by every request and every block: a SQLite read walks the write-ahead log's index and the connection's page cache,
/// which every commit invalidates. Every committed block's writes are applied here after its SQL transaction, so a
/// revocation is seen from the block that commits it.
/// <para>
/// Bounded by bytes as two generations: entries live in the recent one; when it holds half the capacity it becomes the older
/// one and the previous older one is dropped; a hit in the older generation moves the entry back to the recent one. A value
/// read from the store is remembered only if no block was applied since the read began, so a value read before a commit can
/// never be remembered after it (the store is read outside the lock, the cache is filled under it).
/// </para>
/// </summary>
public sealed class StateCache(long capacityBytes = StateCache.DefaultCapacityBytes)
{
    /// <summary>64 MiB: the hot state of a hospital's working set, a small share of a node's memory.</summary>
    public const long DefaultCapacityBytes = 64L * 1024 * 1024;

    private const int EntryOverhead = 64;
    private readonly Lock _gate = new();
    private ConcurrentDictionary<string, byte[]?> _recent = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, byte[]?> _older = new(StringComparer.Ordinal);
    private long _recentBytes;
    private long _appliedBlocks;

    /// <summary>The value from the cache, or read through <paramref name="committed"/> and remembered.</summary>
    public byte[]? Get(string key, IStateReader committed)
    {
        var applied = Volatile.Read(ref _appliedBlocks);
        if (Volatile.Read(ref _recent).TryGetValue(key, out var value))
        {
            return value;
        }
        if (!Volatile.Read(ref _older).TryGetValue(key, out value))
        {
            value = committed.Get(key);
            // Absent keys are not remembered: lookups of random key ids must not fill the cache.
            if (value is null)
            {
                return null;
            }
        }
        Remember(key, value, applied);
        return value;
    }

    /// <summary>Records a committed block's writes (null = deleted, kept as a tombstone).</summary>
    public void Apply(IEnumerable<KeyValuePair<string, byte[]?>> writes)
    {
        lock (_gate)
        {
            foreach (var (key, value) in writes)
            {
                _older.TryRemove(key, out _);
                Put(key, value);
            }
            Volatile.Write(ref _appliedBlocks, _appliedBlocks + 1);
        }
    }

    /// <summary>A reader that goes through this cache to <paramref name="committed"/>.</summary>
    public IStateReader Over(IStateReader committed) => new Reader(this, committed);

    private void Remember(string key, byte[]? value, long appliedWhenRead)
    {
        lock (_gate)
        {
            if (_appliedBlocks == appliedWhenRead)
            {
                Put(key, value);
            }
        }
    }

    // Under the gate.
    private void Put(string key, byte[]? value)
    {
        _recent[key] = value;
        _recentBytes += EntryOverhead + (key.Length * sizeof(char)) + (value?.Length ?? 0);
        if (_recentBytes > capacityBytes / 2)
        {
            Volatile.Write(ref _older, _recent);
            Volatile.Write(ref _recent, new ConcurrentDictionary<string, byte[]?>(StringComparer.Ordinal));
            _recentBytes = 0;
        }
    }

    private sealed class Reader(StateCache cache, IStateReader committed) : IStateReader
    {
        public byte[]? Get(string key) => cache.Get(key, committed);
    }
}
