using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CareLedger.Core.Crypto;

/// <summary>
/// HPKE (RFC 9180) in base mode with one suite: DHKEM(P-256, HKDF-SHA256) (kem 0x0010), HKDF-SHA256 (kdf 0x0001), AES-128-GCM
/// (aead 0x0001), single-shot. Seals a message to a P-256 public key (a ledger key's SubjectPublicKeyInfo); only the holder of the
/// matching private key opens it. Built from the BCL's ECDH, HKDF and AES-GCM; checked against RFC 9180 Appendix A.3.1.
/// </summary>
public static class Hpke
{
    public const ushort KemId = 0x0010;
    public const ushort KdfId = 0x0001;
    public const ushort AeadId = 0x0001;
    public const string Suite = "DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM";

    private const int KeyLength = 16;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private static readonly byte[] Version = "HPKE-v1"u8.ToArray();
    private static readonly byte[] KemSuite = [.. "KEM"u8, 0x00, 0x10];
    private static readonly byte[] HpkeSuite = [.. "HPKE"u8, 0x00, 0x10, 0x00, 0x01, 0x00, 0x01];

    /// <summary>Seals <paramref name="plaintext"/> to <paramref name="recipientSpki"/>: the encapsulated key and the ciphertext (with its tag).</summary>
    public static (byte[] Enc, byte[] Ciphertext) Seal(ReadOnlySpan<byte> recipientSpki, ReadOnlySpan<byte> info, ReadOnlySpan<byte> aad,
        ReadOnlySpan<byte> plaintext, ECDiffieHellman? ephemeral = null)
    {
        using var recipient = ECDiffieHellman.Create();
        recipient.ImportSubjectPublicKeyInfo(recipientSpki, out _);
        using var owned = ephemeral is null ? ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256) : null;
        var sender = ephemeral ?? owned!;
        var enc = Serialize(sender.ExportParameters(false));
        var dh = sender.DeriveRawSecretAgreement(recipient.PublicKey);
        var sharedSecret = ExtractAndExpand(dh, [.. enc, .. Serialize(recipient.ExportParameters(false))]);
        var (key, nonce) = KeySchedule(sharedSecret, info);
        var ciphertext = new byte[plaintext.Length + TagLength];
        using var aes = new AesGcm(key, TagLength);
        aes.Encrypt(nonce, plaintext, ciphertext.AsSpan(0, plaintext.Length), ciphertext.AsSpan(plaintext.Length), aad);
        return (enc, ciphertext);
    }

    /// <summary>Opens what <see cref="Seal"/> sealed to <paramref name="recipient"/>'s public key; <see cref="CryptographicException"/> when it was not.</summary>
    public static byte[] Open(ECDiffieHellman recipient, ReadOnlySpan<byte> enc, ReadOnlySpan<byte> info, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> ciphertext)
    {
        if (enc.Length != 65 || enc[0] != 0x04 || ciphertext.Length < TagLength)
        {
            throw new CryptographicException("Not an HPKE P-256 encapsulated key and ciphertext.");
        }
        using var sender = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = enc[1..33].ToArray(), Y = enc[33..].ToArray() },
        });
        var dh = recipient.DeriveRawSecretAgreement(sender.PublicKey);
        var sharedSecret = ExtractAndExpand(dh, [.. enc, .. Serialize(recipient.ExportParameters(false))]);
        var (key, nonce) = KeySchedule(sharedSecret, info);
        var plaintext = new byte[ciphertext.Length - TagLength];
        using var aes = new AesGcm(key, TagLength);
        aes.Decrypt(nonce, ciphertext[..^TagLength], ciphertext[^TagLength..], plaintext, aad);
        return plaintext;
    }

    /// <summary>The shared secret of DHKEM (RFC 9180 §4.1), exposed for the conformance vectors.</summary>
    internal static byte[] ExtractAndExpand(byte[] dh, byte[] kemContext) =>
        LabeledExpand(KemSuite, LabeledExtract(KemSuite, [], "eae_prk"u8, dh), "shared_secret"u8, kemContext, 32);

    /// <summary>The key and base nonce of base mode with no PSK (RFC 9180 §5.1).</summary>
    internal static (byte[] Key, byte[] Nonce) KeySchedule(byte[] sharedSecret, ReadOnlySpan<byte> info)
    {
        var pskIdHash = LabeledExtract(HpkeSuite, [], "psk_id_hash"u8, []);
        var infoHash = LabeledExtract(HpkeSuite, [], "info_hash"u8, info);
        byte[] context = [0x00, .. pskIdHash, .. infoHash];
        var secret = LabeledExtract(HpkeSuite, sharedSecret, "secret"u8, []);
        return (LabeledExpand(HpkeSuite, secret, "key"u8, context, KeyLength), LabeledExpand(HpkeSuite, secret, "base_nonce"u8, context, NonceLength));
    }

    private static byte[] LabeledExtract(byte[] suite, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> label, ReadOnlySpan<byte> ikm) =>
        HKDF.Extract(HashAlgorithmName.SHA256, [.. Version, .. suite, .. label, .. ikm], salt.ToArray());

    private static byte[] LabeledExpand(byte[] suite, byte[] prk, ReadOnlySpan<byte> label, ReadOnlySpan<byte> info, int length)
    {
        var lengthPrefix = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(lengthPrefix, (ushort)length);
        return HKDF.Expand(HashAlgorithmName.SHA256, prk, length, [.. lengthPrefix, .. Version, .. suite, .. label, .. info]);
    }

    private static byte[] Serialize(ECParameters key) => [0x04, .. key.Q.X!, .. key.Q.Y!];
}
