using System.Buffers.Binary;
using CareLedger.Core.Crypto;

namespace CareLedger.Ledger.Execution;

/// <summary>
/// The (signer, nonce) pairs included in blocks whose validity window has not closed yet: the one
/// replay registry of a node, written by execution and read by admission. A transaction cannot be
/// included after its notAfter, so older pairs are forgotten and memory stays bounded by the window.
/// </summary>
/// <remarks>
/// At 10,000 tx/s with an hour's validity this holds millions of pairs, so entries are 56-byte structs
/// without references in one dictionary: no object per entry for the garbage collector to trace
/// (a concurrent dictionary's node per entry made a million pairs cost about 250 MB of heap).
/// A lock guards it; each operation holds it for a hash look-up.
/// </remarks>
public sealed class NonceWindow
{
    private readonly Lock _gate = new();
    private readonly Dictionary<NonceKey, long> _seen = [];
    private long _prunedAt;

    /// <summary>Pairs currently remembered.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _seen.Count;
            }
        }
    }

    /// <summary>
    /// True when the pair was included by a transaction whose window is still open at <paramref name="time"/>.
    /// Whether a closed entry was pruned yet never changes the answer, so every node decides alike.
    /// </summary>
    public bool Contains(KeyId signer, ulong nonce, long time)
    {
        var key = NonceKey.Of(signer, nonce);
        lock (_gate)
        {
            return _seen.TryGetValue(key, out var notAfter) && notAfter >= time;
        }
    }

    /// <summary>Records an included pair.</summary>
    public void Add(KeyId signer, ulong nonce, long notAfter)
    {
        var key = NonceKey.Of(signer, nonce);
        lock (_gate)
        {
            _seen[key] = notAfter;
        }
    }

    /// <summary>Forgets pairs whose notAfter is before <paramref name="blockTime"/> (at most every 10 s of block time).</summary>
    public void Prune(long blockTime)
    {
        lock (_gate)
        {
            if (blockTime - _prunedAt < 10_000)
            {
                return;
            }
            _prunedAt = blockTime;
            foreach (var (key, notAfter) in _seen)
            {
                if (notAfter < blockTime)
                {
                    _seen.Remove(key);
                }
            }
        }
    }

    /// <summary>A signer's key id and a nonce as five machine words.</summary>
    internal readonly record struct NonceKey(ulong A, ulong B, ulong C, ulong D, ulong Nonce)
    {
        public static NonceKey Of(KeyId signer, ulong nonce)
        {
            var s = signer.Value.Span;
            return new(BinaryPrimitives.ReadUInt64LittleEndian(s), BinaryPrimitives.ReadUInt64LittleEndian(s[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(s[16..]), BinaryPrimitives.ReadUInt64LittleEndian(s[24..]), nonce);
        }
    }
}
