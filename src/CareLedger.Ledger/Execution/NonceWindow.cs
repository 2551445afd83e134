using CareLedger.Core.Crypto;

namespace CareLedger.Ledger.Execution;

/// <summary>
/// The (signer, nonce) pairs included in blocks whose validity window has not closed yet. A transaction
/// cannot be included after its notAfter, so older pairs are forgotten: memory stays bounded by the window.
/// </summary>
public sealed class NonceWindow
{
    private readonly Dictionary<(KeyId, ulong), long> _seen = [];
    private long _prunedAt;

    /// <summary>
    /// True when the pair was included by a transaction whose window is still open at <paramref name="blockTime"/>.
    /// Whether a closed entry was pruned yet never changes the answer, so every node decides alike.
    /// </summary>
    public bool Contains(KeyId signer, ulong nonce, long blockTime) =>
        _seen.TryGetValue((signer, nonce), out var notAfter) && notAfter >= blockTime;

    /// <summary>Records an included pair.</summary>
    public void Add(KeyId signer, ulong nonce, long notAfter) => _seen[(signer, nonce)] = notAfter;

    /// <summary>Forgets pairs whose notAfter is before <paramref name="blockTime"/>.</summary>
    public void Prune(long blockTime)
    {
        if (blockTime - _prunedAt < 10_000)
        {
            return;
        }
        _prunedAt = blockTime;
        foreach (var pair in _seen.Where(p => p.Value < blockTime).Select(p => p.Key).ToList())
        {
            _seen.Remove(pair);
        }
    }
}
