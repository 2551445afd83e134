using System.Collections.Concurrent;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Ledger.Execution;

namespace CareLedger.Ledger.Admission;

/// <summary>
/// Transactions admitted but not yet committed, with the (signer, nonce) pairs they reserve. Together
/// with the engine's <see cref="NonceWindow"/> (pairs already in blocks) it makes admission exactly-once.
/// Safe for concurrent use.
/// </summary>
public sealed class PendingTransactions
{
    private readonly ConcurrentDictionary<Hash, byte> _pending = new();
    private readonly ConcurrentDictionary<(KeyId, ulong), byte> _reserved = new();

    // ConcurrentDictionary.Count takes every lock of the dictionary; admission asks for every transaction.
    private int _count;

    /// <summary>Transactions waiting for a block.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>True while the transaction waits for a block.</summary>
    public bool IsPending(Hash id) => _pending.ContainsKey(id);

    /// <summary>Claims the transaction's (signer, nonce); false when it is pending or already in a block.</summary>
    public bool TryReserve(Transaction tx, NonceWindow committed, long now)
    {
        if (committed.Contains(tx.Signer, tx.Nonce, now) || !_reserved.TryAdd((tx.Signer, tx.Nonce), 0))
        {
            return false;
        }
        if (_pending.TryAdd(tx.Id, 0))
        {
            Interlocked.Increment(ref _count);
        }
        return true;
    }

    /// <summary>The transaction is in a committed block (or could not be queued): its reservation ends.</summary>
    public void Release(Transaction tx)
    {
        if (_pending.TryRemove(tx.Id, out _))
        {
            Interlocked.Decrement(ref _count);
        }
        _reserved.TryRemove((tx.Signer, tx.Nonce), out _);
    }
}
