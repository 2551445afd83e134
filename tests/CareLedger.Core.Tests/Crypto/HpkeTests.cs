using System.Security.Cryptography;
using CareLedger.Core.Crypto;

namespace CareLedger.Core.Tests.Crypto;

/// <summary>RFC 9180 Appendix A.3.1: DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode.</summary>
public class HpkeTests
{
    private static readonly byte[] Info = Convert.FromHexString("4f6465206f6e2061204772656369616e2055726e");
    private static readonly byte[] SkE = Convert.FromHexString("c13f314da45f296215553cb08736cc542aeb13f211c9632f232a82ec843a78cc");
    private static readonly byte[] Enc = Convert.FromHexString(
        "04987cd3d8ca7b11f4c05688b9ccc569210ee5ed3ec3629e1615ba2b6f4834ced35da40bdcc786e1c523e4dab1794d540cae4a565aceef24685e64d646a067b385");
    private static readonly byte[] PkR = Convert.FromHexString(
        "04e9d622b3112fe22a0f3c9e1fa6d020d61f3efb58652973a8f5c4656dcc2f63eefbf14e6f9d7f7b7772a56ddebc13ad0b1a0a9f0483b2a1a8d6cae615d9be3ea9");
    private static readonly byte[] SkR = Convert.FromHexString("6f14a20f859eb121acc2dd77b8718b2da5fa6a38674d93cfc74e57cd5d4ae51f");
    private static readonly byte[] Plaintext = Convert.FromHexString("4265617574792069732074727574682c20747275746820626561757479");
    private static readonly byte[] Aad = Convert.FromHexString("436f756e742d30");
    private static readonly byte[] Ciphertext = Convert.FromHexString(
        "d5b8fcd4d6ef4e70652130d0a976b699b94880714f9392cf818031e3a51dc938987504d6c12e91f4936ea039a2");

    private static ECDiffieHellman Key(byte[] d, byte[] q) => ECDiffieHellman.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        D = d,
        Q = new ECPoint { X = q[1..33], Y = q[33..] },
    });

    [Fact]
    public void Key_schedule_and_sealing_match_RFC_9180_A_3_1()
    {
        var sharedSecret = SharedSecret();
        Assert.Equal("44a7bc0b3dad29cf35610d43e8b6a3bde6427ef3d10c1183b815c85733f7ffbe", Convert.ToHexStringLower(sharedSecret));
        var (key, nonce) = Hpke.KeySchedule(sharedSecret, Info);
        Assert.Equal(("d481191a63ab00c15e5944bf8f202673", "d4f41cfeff8942fc569941f0"), (Convert.ToHexStringLower(key), Convert.ToHexStringLower(nonce)));

        using var ephemeral = Key(SkE, Enc);
        using var recipient = Key(SkR, PkR);
        var (enc, ciphertext) = Hpke.Seal(recipient.ExportSubjectPublicKeyInfo(), Info, Aad, Plaintext, ephemeral);
        Assert.Equal(Enc, enc);
        Assert.Equal(Ciphertext, ciphertext);
        Assert.Equal(Plaintext, Hpke.Open(recipient, Enc, Info, Aad, Ciphertext));
    }

    [Fact]
    public void Only_the_holder_of_the_ledger_key_opens_and_any_change_is_refused()
    {
        using var holder = SigningKey.Generate();
        using var other = SigningKey.Generate();
        var (enc, ciphertext) = Hpke.Seal(holder.PublicKey.SubjectPublicKeyInfo, "careledger-test"u8, "grant-1"u8, Plaintext);
        using var agreement = holder.ToKeyAgreement();
        Assert.Equal(Plaintext, Hpke.Open(agreement, enc, "careledger-test"u8, "grant-1"u8, ciphertext));
        using var stranger = other.ToKeyAgreement();
        Assert.ThrowsAny<CryptographicException>(() => Hpke.Open(stranger, enc, "careledger-test"u8, "grant-1"u8, ciphertext));
        Assert.ThrowsAny<CryptographicException>(() => Hpke.Open(agreement, enc, "careledger-test"u8, "grant-2"u8, ciphertext));
        ciphertext[0] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => Hpke.Open(agreement, enc, "careledger-test"u8, "grant-1"u8, ciphertext));
        Assert.ThrowsAny<CryptographicException>(() => Hpke.Open(agreement, enc.AsSpan(0, 64), "careledger-test"u8, "grant-1"u8, ciphertext));
    }

    // The DHKEM shared secret of the vector: DH(skE, pkR) extracted and expanded with kem_context = enc || pkRm.
    private static byte[] SharedSecret()
    {
        using var ephemeral = Key(SkE, Enc);
        using var recipient = Key(SkR, PkR);
        return Hpke.ExtractAndExpand(ephemeral.DeriveRawSecretAgreement(recipient.PublicKey), [.. Enc, .. PkR]);
    }
}
