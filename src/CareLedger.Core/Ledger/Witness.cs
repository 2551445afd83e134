using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace CareLedger.Core.Ledger;

/// <summary>
/// A witness as those who trust it know it: a name and an Ed25519 public key, written as a C2SP verifier key
/// (<c>name+keyid+base64(0x04 || key)</c>, c2sp.org/signed-note). It checks timestamped cosignatures of checkpoints
/// (c2sp.org/tlog-cosignature, type 0x04): a cosignature says that, at its time, this checkpoint was the largest consistent
/// one the witness had seen of the log.
/// </summary>
public sealed class Witness
{
    /// <summary>The signature type byte of a timestamped Ed25519 cosignature.</summary>
    public const byte CosignatureType = 0x04;

    private readonly byte[] _publicKey;

    /// <summary>A witness with this name and 32-byte Ed25519 public key.</summary>
    public Witness(string name, ReadOnlySpan<byte> publicKey)
    {
        if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || c == '+') || publicKey.Length != 32)
        {
            throw new FormatException("A witness has a name without spaces or '+' and a 32-byte Ed25519 key.");
        }
        Name = name;
        _publicKey = publicKey.ToArray();
        var hashed = new byte[System.Text.Encoding.UTF8.GetByteCount(name) + 2 + 32];
        var written = System.Text.Encoding.UTF8.GetBytes(name, hashed);
        hashed[written] = (byte)'\n';
        hashed[written + 1] = CosignatureType;
        _publicKey.CopyTo(hashed, written + 2);
        KeyId = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(hashed));
    }

    /// <summary>The witness's name (its key name in signature lines).</summary>
    public string Name { get; }

    /// <summary>SHA-256(name || "\n" || 0x04 || key), first four bytes.</summary>
    public uint KeyId { get; }

    /// <summary>The 32-byte Ed25519 public key.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>The C2SP verifier key: <c>name+keyid+base64(0x04 || key)</c>.</summary>
    public string VerifierKey => string.Create(CultureInfo.InvariantCulture, $"{Name}+{KeyId:x8}+{Convert.ToBase64String([CosignatureType, .. _publicKey])}");

    /// <summary>Parses a verifier key. Throws <see cref="FormatException"/> for anything else or a key id that does not match.</summary>
    public static Witness Parse(string verifierKey)
    {
        if (verifierKey.Trim().Split('+', 3) is not [var name, var id, var encoded])
        {
            throw new FormatException("A witness key is name+keyid+base64.");
        }
        var bytes = Convert.FromBase64String(encoded);
        if (bytes.Length != 33 || bytes[0] != CosignatureType)
        {
            throw new FormatException("A witness key is an Ed25519 cosignature key (type 0x04, 32 bytes).");
        }
        var witness = new Witness(name, bytes.AsSpan(1));
        return uint.TryParse(id, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var keyId) && keyId == witness.KeyId
            ? witness
            : throw new FormatException($"The key id of witness key {name} does not match its key.");
    }

    /// <summary>
    /// The time (POSIX seconds) of this witness's cosignature of <paramref name="body"/> among <paramref name="signatures"/>
    /// (from <see cref="Checkpoint.SplitNote"/>), or null when it has none. Throws <see cref="FormatException"/> when it has
    /// one that does not verify.
    /// </summary>
    public long? CosignedAt(string body, IEnumerable<(string Name, byte[] Signature)> signatures)
    {
        foreach (var (name, bytes) in signatures)
        {
            if (name != Name || bytes.Length != 4 + 8 + 64 || BinaryPrimitives.ReadUInt32BigEndian(bytes) != KeyId)
            {
                continue;
            }
            var time = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(4));
            var verifier = new Ed25519Signer();
            verifier.Init(false, new Ed25519PublicKeyParameters(_publicKey, 0));
            var message = SignedMessage(body, time);
            verifier.BlockUpdate(message, 0, message.Length);
            return time >= 0 && verifier.VerifySignature(bytes[12..]) ? time : throw new FormatException($"The cosignature of {Name} does not verify.");
        }
        return null;
    }

    /// <summary>What a v1 cosignature signs: <c>cosignature/v1\ntime T\n</c> and the checkpoint's note text.</summary>
    internal static byte[] SignedMessage(string body, long time) =>
        System.Text.Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"cosignature/v1\ntime {time}\n{body}"));
}
