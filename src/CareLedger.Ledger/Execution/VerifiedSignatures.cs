using System.Collections.Concurrent;
using CareLedger.Core.Crypto;

namespace CareLedger.Ledger.Execution;

/// <summary>
/// Transactions whose signature this node's admission already verified, with the key it verified against.
/// Execution that re-verifies signatures (consortium mode) skips those it finds here with the same key:
/// the same process checked the same bytes. Entries are taken when used; the memo is bounded.
/// </summary>
public sealed class VerifiedSignatures
{
    private const int Capacity = 1_000_000;
    private readonly ConcurrentDictionary<Hash, KeyId> _verified = new();

    // Approximate size: ConcurrentDictionary.Count takes every lock, and admission adds for every transaction.
    private int _count;

    /// <summary>Notes that <paramref name="transactionId"/>'s signature verified with <paramref name="key"/>.</summary>
    public void Add(Hash transactionId, KeyId key)
    {
        if (Interlocked.Increment(ref _count) > Capacity)
        {
            _verified.Clear();
            Volatile.Write(ref _count, 0);
        }
        _verified[transactionId] = key;
    }

    /// <summary>True (and forgets it) when the transaction was verified with <paramref name="key"/>.</summary>
    public bool TryTake(Hash transactionId, KeyId key)
    {
        if (!_verified.TryRemove(transactionId, out var verifiedWith))
        {
            return false;
        }
        Interlocked.Decrement(ref _count);
        return verifiedWith == key;
    }
}
