using System.Buffers.Binary;
using System.Collections.Concurrent;
using CareLedger.Core.Crypto;

namespace CareLedger.Ledger.Execution;

/// <summary>
/// The (signer, nonce) pairs included in blocks whose validity window has not closed yet: the one
/// replay registry of a node, written by execution and read by admission. A transaction cannot be
/// included after its notAfter, so older pairs are forgotten and memory stays bounded by the window.
/// Entries are 40-byte value keys, with no allocation per entry beyond the dictionary's own.
/// </summary>
public sealed class NonceWindow
{
    private readonly ConcurrentDictionary<NonceKey, long> _seen = new();
    private long _prunedAt;

    /// <summary>Pairs currently remembered.</summary>
    public int Count => _seen.Count;

    /// <summary>
    /// True when the pair was included by a transaction whose window is still open at <paramref name="time"/>.
    /// Whether a closed entry was pruned yet never changes the answer, so every node decides alike.
    /// </summary>
    public bool Contains(KeyId signer, ulong nonce, long time) =>
        _seen.TryGetValue(NonceKey.Of(signer, nonce), out var notAfter) && notAfter >= time;

    /// <summary>Records an included pair.</summary>
    public void Add(KeyId signer, ulong nonce, long notAfter) => _seen[NonceKey.Of(signer, nonce)] = notAfter;

    /// <summary>Forgets pairs whose notAfter is before <paramref name="blockTime"/> (at most every 10 s of block time).</summary>
    public void Prune(long blockTime)
    {
        if (blockTime - Volatile.Read(ref _prunedAt) < 10_000)
        {
            return;
        }
        Volatile.Write(ref _prunedAt, blockTime);
        foreach (var entry in _seen)
        {
            if (entry.Value < blockTime)
            {
                _seen.TryRemove(entry);
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
