using System.Collections.Concurrent;
using CareLedger.Core.Crypto;

namespace CareLedger.Ledger.Admission;

/// <summary>
/// Transactions admitted but not yet committed, and the (signer, nonce) pairs they and recent blocks
/// used: the admission-time replay check. Safe for concurrent use.
/// </summary>
public sealed class PendingTransactions
{
    private readonly ConcurrentDictionary<Hash, byte> _pending = new();
    private readonly ConcurrentDictionary<(KeyId, ulong), long> _nonces = new();

    /// <summary>Transactions waiting for a block.</summary>
    public int Count => _pending.Count;

    /// <summary>True while the transaction waits for a block.</summary>
    public bool IsPending(Hash id) => _pending.ContainsKey(id);

    /// <summary>Claims (signer, nonce) for a new transaction; false when it was used already.</summary>
    public bool TryReserve(Hash id, KeyId signer, ulong nonce, long notAfter)
    {
        if (!_nonces.TryAdd((signer, nonce), notAfter))
        {
            return false;
        }
        _pending[id] = 0;
        return true;
    }

    /// <summary>Records a pair that is already on the ledger (at start-up).</summary>
    public void RememberCommitted(KeyId signer, ulong nonce, long notAfter) => _nonces[(signer, nonce)] = notAfter;

    /// <summary>The transaction left the mempool (committed, or dropped).</summary>
    public void Complete(Hash id) => _pending.TryRemove(id, out _);

    /// <summary>Gives a pair back when the transaction could not be queued.</summary>
    public void Release(Hash id, KeyId signer, ulong nonce)
    {
        _pending.TryRemove(id, out _);
        _nonces.TryRemove((signer, nonce), out _);
    }

    /// <summary>Forgets pairs whose window closed before <paramref name="now"/>.</summary>
    public void Prune(long now)
    {
        foreach (var pair in _nonces)
        {
            if (pair.Value < now)
            {
                _nonces.TryRemove(pair.Key, out _);
            }
        }
    }
}
