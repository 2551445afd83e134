using System.Security.Cryptography;
using CareLedger.Core.Crypto;
using CareLedger.Core.Encoding;
using CareLedger.Core.Ledger;

namespace CareLedger.Client;

/// <summary>Builds signed transactions for one chain and one key, with random nonces and a bounded validity.</summary>
public sealed class TransactionFactory(SigningKey key, string chain, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>The signing key.</summary>
    public SigningKey Key => key;

    /// <summary>The chain id transactions are signed for.</summary>
    public string Chain => chain;

    /// <summary>Signs <c>type</c> with <paramref name="args"/>, valid for <paramref name="validity"/> (default 5 minutes).</summary>
    public Transaction Create(string type, TransactionArgs args, TimeSpan? validity = null, ulong? nonce = null)
    {
        var notAfter = _clock.GetUtcNow().Add(validity ?? TimeSpan.FromMinutes(5)).ToUnixTimeMilliseconds();
        return TransactionCodec.Sign(key, chain, type, args, nonce ?? RandomNonce(), notAfter);
    }

    /// <summary>Signs <c>type</c> with arguments given as JSON text.</summary>
    public Transaction Create(string type, string argsJson, TimeSpan? validity = null) => Create(type, TransactionArgs.FromJson(argsJson), validity);

    private static ulong RandomNonce() => BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
}
