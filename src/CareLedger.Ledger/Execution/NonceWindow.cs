using CareLedger.Core.Crypto;

namespace CareLedger.Ledger.Execution;

/// <summary>
/// The (signer, nonce) pairs included in blocks whose validity window has not closed yet: the one
/// replay registry of a node, written by execution and read by admission. A transaction cannot be
/// included after its notAfter, so older pairs are forgotten and memory stays bounded by the window.
/// </summary>
/// <remarks>
/// At 10,000 tx/s with an hour's validity this holds millions of pairs, so entries are 32-byte structs
/// without references in one dictionary: no object per entry for the garbage collector to trace
/// (a concurrent dictionary's node per entry made a million pairs cost about 250 MB of heap). A signer
/// is a small number given on first sight rather than its 32-byte key id: signers are the few keys
/// registered on the ledger, pairs are millions. A lock guards both; each operation holds it for two
/// hash look-ups.
/// </remarks>
public sealed class NonceWindow
{
    private readonly Lock _gate = new();
    private readonly Dictionary<NonceKey, long> _seen = [];
    private readonly Dictionary<KeyId, int> _signers = [];
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
        lock (_gate)
        {
            return _signers.TryGetValue(signer, out var number) && _seen.TryGetValue(new NonceKey(number, nonce), out var notAfter) && notAfter >= time;
        }
    }

    /// <summary>Records an included pair.</summary>
    public void Add(KeyId signer, ulong nonce, long notAfter)
    {
        lock (_gate)
        {
            if (!_signers.TryGetValue(signer, out var number))
            {
                number = _signers.Count;
                _signers.Add(signer, number);
            }
            _seen[new NonceKey(number, nonce)] = notAfter;
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

    /// <summary>A signer's number in <see cref="_signers"/> and a nonce.</summary>
    private readonly record struct NonceKey(int Signer, ulong Nonce);
}
