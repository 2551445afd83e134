using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace CareLedger.Storage;

/// <summary>
/// A Bloom filter of the keys in the state table, so that looking up a key that was never written (every new
/// notary anchor does) need not descend the state B-tree. "Absent" is certain; "maybe" is answered by SQLite.
/// Keys are added before the block that writes them commits, so a committed key is never reported absent; a
/// deleted key stays "maybe", and a block that fails to commit only leaves false positives behind.
/// The filter grows by segments, each twice the size of the one before it, of 16 bits per key and 7 probes (under
/// 0.1 % false positives each when full); at 1,000,000 keys the segments hold 4 MB. It lives in memory only and is
/// rebuilt from the table when the store opens.
/// </summary>
internal sealed class StateKeyFilter
{
    private const int BitsPerKey = 16;
    private const int Probes = 7;
    private const int FirstCapacity = 1 << 16; // a power of two, so every segment's bit count is one too

    private readonly Lock _gate = new();
    private volatile Segment[] _segments = [new(FirstCapacity)]; // replaced whole under the lock; read without it
    private volatile bool _complete;

    /// <summary>True once every key of the table has been added; until then every key is a "maybe".</summary>
    public bool IsComplete => _complete;

    /// <summary>Marks the filter as holding every key of the table (after the scan that fills it).</summary>
    public void MarkComplete() => _complete = true;

    /// <summary>Adds a key; safe from the block writer and the opening scan at once.</summary>
    public void Add(string key)
    {
        var hash = Hash(key);
        lock (_gate)
        {
            var last = _segments[^1];
            if (last.Count >= last.Capacity)
            {
                last = new Segment(last.Capacity * 2);
                _segments = [.. _segments, last];
            }
            last.Add(hash);
        }
    }

    /// <summary>False only when <paramref name="key"/> is certainly not in the table (and the filter is complete).</summary>
    public bool MayContain(string key)
    {
        if (!_complete)
        {
            return true;
        }
        var hash = Hash(key);
        foreach (var segment in _segments)
        {
            if (segment.MayContain(hash))
            {
                return true;
            }
        }
        return false;
    }

    private static ulong Hash(string key) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(key.AsSpan()));

    private sealed class Segment(int capacity)
    {
        private readonly long[] _bits = new long[capacity / 64 * BitsPerKey];
        private readonly ulong _mask = (ulong)capacity * BitsPerKey - 1;

        public int Capacity { get; } = capacity;

        public int Count { get; private set; }

        public void Add(ulong hash)
        {
            for (var i = 0; i < Probes; i++)
            {
                var bit = Bit(hash, i);
                Interlocked.Or(ref _bits[bit >> 6], 1L << (int)(bit & 63));
            }
            Count++;
        }

        public bool MayContain(ulong hash)
        {
            for (var i = 0; i < Probes; i++)
            {
                var bit = Bit(hash, i);
                if ((Volatile.Read(ref _bits[bit >> 6]) & (1L << (int)(bit & 63))) == 0)
                {
                    return false;
                }
            }
            return true;
        }

        // Double hashing (Kirsch and Mitzenmacher): probe i is h1 + i * h2 over the segment's bits (a power of two).
        private ulong Bit(ulong hash, int i) => ((hash & 0xFFFFFFFF) + (ulong)i * ((hash >> 32) | 1)) & _mask;
    }
}
