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

    /// <summary>Notes that <paramref name="transactionId"/>'s signature verified with <paramref name="key"/>.</summary>
    public void Add(Hash transactionId, KeyId key)
    {
        if (_verified.Count >= Capacity)
        {
            _verified.Clear();
        }
        _verified[transactionId] = key;
    }

    /// <summary>True (and forgets it) when the transaction was verified with <paramref name="key"/>.</summary>
    public bool TryTake(Hash transactionId, KeyId key) => _verified.TryRemove(transactionId, out var verifiedWith) && verifiedWith == key;
}
