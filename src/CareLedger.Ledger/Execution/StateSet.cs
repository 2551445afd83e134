using System.Collections.Concurrent;
using CareLedger.Core.Crypto;
using CareLedger.Core.Encoding;

namespace CareLedger.Ledger.Execution;

/// <summary>
/// The world state as one <see cref="LatticeHash"/>: an element per entry, the canonical CBOR <c>[key, value]</c>. A block
/// header carries its checksum, so a node opening its store, or an auditor holding a copy of one, checks every state row
/// against a signed header by summing the rows, without replaying the chain (docs/serialization-format.md §Block header).
/// </summary>
public static class StateSet
{
    /// <summary>The hash of these entries (any order), summed on every core.</summary>
    public static LatticeHash Of(IEnumerable<KeyValuePair<string, byte[]>> entries)
    {
        var partials = new ConcurrentBag<LatticeHash>();
        Parallel.ForEach(entries, () => new LatticeHash(), (entry, _, sum) =>
        {
            sum.Add(Element(entry.Key, entry.Value));
            return sum;
        }, partials.Add);
        var total = new LatticeHash();
        foreach (var partial in partials)
        {
            total.Add(partial);
        }
        return total;
    }

    /// <summary>
    /// Moves <paramref name="hash"/> from the state <paramref name="before"/> a block to the state after its
    /// <paramref name="writes"/> (a null value deletes).
    /// </summary>
    /// <remarks>
    /// Each key costs a SHAKE128 expansion (about 5 µs here) and a read of its old value, on the thread that executes
    /// blocks. With <paramref name="onEveryCore"/> a block of many writes is summed on every core, which shortens a node's
    /// block; an audit, whose other cores already check signatures, sums on its own thread (waiting for busy cores there
    /// cost more than it saved).
    /// </remarks>
    public static void Apply(LatticeHash hash, IReadOnlyDictionary<string, byte[]?> writes, IStateReader before, bool onEveryCore = true)
    {
        if (!onEveryCore || writes.Count < ParallelFrom)
        {
            foreach (var write in writes)
            {
                Apply(hash, write, before);
            }
            return;
        }
        var partials = new ConcurrentBag<LatticeHash>();
        Parallel.ForEach(writes, () => new LatticeHash(), (write, _, sum) =>
        {
            Apply(sum, write, before);
            return sum;
        }, partials.Add);
        foreach (var partial in partials)
        {
            hash.Add(partial);
        }
    }

    private const int ParallelFrom = 256;

    private static void Apply(LatticeHash hash, KeyValuePair<string, byte[]?> write, IStateReader before)
    {
        if (before.Get(write.Key) is { } old)
        {
            hash.Remove(Element(write.Key, old));
        }
        if (write.Value is not null)
        {
            hash.Add(Element(write.Key, write.Value));
        }
    }

    /// <summary>The element of one entry: canonical CBOR <c>[key, value]</c> (an array head, a text string, a byte string).</summary>
    public static byte[] Element(string key, ReadOnlySpan<byte> value)
    {
        Span<byte> keyHead = stackalloc byte[9];
        Span<byte> valueHead = stackalloc byte[9];
        var keyLength = System.Text.Encoding.UTF8.GetByteCount(key);
        keyHead = keyHead[..CanonicalCbor.WriteHead(keyHead, 3, keyLength)];
        valueHead = valueHead[..CanonicalCbor.WriteHead(valueHead, 2, value.Length)];
        var element = new byte[1 + keyHead.Length + keyLength + valueHead.Length + value.Length];
        element[0] = 0x82;
        keyHead.CopyTo(element.AsSpan(1));
        var at = 1 + keyHead.Length + System.Text.Encoding.UTF8.GetBytes(key, element.AsSpan(1 + keyHead.Length));
        valueHead.CopyTo(element.AsSpan(at));
        value.CopyTo(element.AsSpan(at + valueHead.Length));
        return element;
    }
}
