using CareLedger.Core.Crypto;
using CareLedger.Core.Encoding;

namespace CareLedger.Core.Ledger;

/// <summary>
/// A signed transaction envelope <c>{chain, type, args, signer, nonce, notAfter, sig}</c>.
/// Its id is SHA-256 of its canonical signed encoding, computed once when it is built or parsed.
/// Create one with <see cref="TransactionCodec.Sign"/> or <see cref="TransactionCodec.Parse"/>.
/// </summary>
public sealed class Transaction
{
    internal Transaction(string chain, string type, TransactionArgs args, KeyId signer, ulong nonce, long notAfter, Signature signature, byte[] encoded)
    {
        Chain = chain;
        Type = type;
        Args = args;
        Signer = signer;
        Nonce = nonce;
        NotAfter = notAfter;
        Signature = signature;
        Encoded = encoded;
        Id = Hash.Compute(encoded);
    }

    /// <summary>The chain id the transaction was signed for.</summary>
    public string Chain { get; }

    /// <summary>"contract.action", e.g. <c>notary.anchor</c>.</summary>
    public string Type { get; }

    /// <summary>The contract arguments.</summary>
    public TransactionArgs Args { get; }

    /// <summary>The key that signed it.</summary>
    public KeyId Signer { get; }

    /// <summary>Chosen by the signer; (signer, nonce) is used once within the validity window.</summary>
    public ulong Nonce { get; }

    /// <summary>Unix time in milliseconds after which the transaction must not be included.</summary>
    public long NotAfter { get; }

    /// <summary>ES256 signature over the encoding without the <c>sig</c> field.</summary>
    public Signature Signature { get; }

    /// <summary>The canonical signed encoding.</summary>
    public ReadOnlyMemory<byte> Encoded { get; }

    /// <summary>SHA-256 of <see cref="Encoded"/>.</summary>
    public Hash Id { get; }

    /// <summary>The contract part of <see cref="Type"/>.</summary>
    public string Contract => Type[..Math.Max(0, Type.IndexOf('.', StringComparison.Ordinal))];

    public override string ToString() => $"{Type} {Id}";
}
