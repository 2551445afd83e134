using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace CareLedger.Core.Ledger;

/// <summary>
/// A witness's private Ed25519 key, written as a C2SP signer key (<c>PRIVATE+KEY+name+keyid+base64(0x04 || seed)</c>).
/// It cosigns checkpoints the witness found consistent with what it saw before (c2sp.org/tlog-cosignature).
/// </summary>
public sealed class WitnessKey
{
    private readonly Ed25519PrivateKeyParameters _key;

    private WitnessKey(string name, byte[] seed)
    {
        _key = new Ed25519PrivateKeyParameters(seed, 0);
        Witness = new Witness(name, _key.GeneratePublicKey().GetEncoded());
    }

    /// <summary>The public side: name, key and verifier key.</summary>
    public Witness Witness { get; }

    /// <summary>A new key for a witness called <paramref name="name"/>.</summary>
    public static WitnessKey Generate(string name) => new(name, RandomNumberGenerator.GetBytes(32));

    /// <summary>The signer key to keep in a file readable only by the witness.</summary>
    public string SignerKey => string.Create(CultureInfo.InvariantCulture,
        $"PRIVATE+KEY+{Witness.Name}+{Witness.KeyId:x8}+{Convert.ToBase64String([Witness.CosignatureType, .. _key.GetEncoded()])}");

    /// <summary>Parses a signer key. Throws <see cref="FormatException"/> for anything else.</summary>
    public static WitnessKey Parse(string signerKey)
    {
        if (signerKey.Trim().Split('+', 5) is not ["PRIVATE", "KEY", var name, _, var encoded])
        {
            throw new FormatException("A witness signer key is PRIVATE+KEY+name+keyid+base64.");
        }
        var bytes = Convert.FromBase64String(encoded);
        return bytes.Length == 33 && bytes[0] == Witness.CosignatureType
            ? new WitnessKey(name, bytes[1..])
            : throw new FormatException("A witness signer key is an Ed25519 seed of type 0x04.");
    }

    /// <summary>The signature line cosigning <paramref name="checkpoint"/> at <paramref name="time"/> (POSIX seconds).</summary>
    public string Cosign(Checkpoint checkpoint, long time)
    {
        var message = Witness.SignedMessage(checkpoint.Body, time);
        var signer = new Ed25519Signer();
        signer.Init(true, _key);
        signer.BlockUpdate(message, 0, message.Length);
        var line = new byte[4 + 8 + 64];
        BinaryPrimitives.WriteUInt32BigEndian(line, Witness.KeyId);
        BinaryPrimitives.WriteInt64BigEndian(line.AsSpan(4), time);
        signer.GenerateSignature().CopyTo(line, 12);
        return Checkpoint.SignatureLine(Witness.Name, line);
    }
}
