using System.Security.Cryptography;
using CareLedger.Core.Crypto;

namespace CareLedger.Core.Tests.Crypto;

public class SigningKeyTests
{
    private static readonly byte[] Message = "careledger"u8.ToArray();

    [Fact]
    public void A_signature_verifies_with_the_key_and_not_with_another_or_on_other_data()
    {
        using var key = SigningKey.Generate();
        using var other = SigningKey.Generate();
        var sig = key.Sign(Message);
        Assert.True(key.PublicKey.Verify(Message, sig.Span));
        Assert.False(other.PublicKey.Verify(Message, sig.Span));
        Assert.False(key.PublicKey.Verify("careledgeR"u8, sig.Span));
    }

    [Fact]
    public void Signatures_are_low_S_and_the_high_S_twin_is_refused()
    {
        using var key = SigningKey.Generate();
        for (var i = 0; i < 50; i++)
        {
            var sig = key.Sign(Message).Span.ToArray();
            Assert.True(PublicKey.IsLowS(sig));
            // The malleated twin (r, n - s) is a valid ECDSA signature that the ledger must refuse.
            var order = System.Numerics.BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);
            var s = new System.Numerics.BigInteger(sig.AsSpan(32), isUnsigned: true, isBigEndian: true);
            var twin = sig.ToArray();
            twin.AsSpan(32).Clear();
            var high = (order - s).ToByteArray(isUnsigned: true, isBigEndian: true);
            high.CopyTo(twin.AsSpan(64 - high.Length));
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(key.PublicKey.SubjectPublicKeyInfo, out _);
            Assert.True(ecdsa.VerifyData(Message, twin, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
            Assert.False(key.PublicKey.Verify(Message, twin));
            // A token (JWS) is not a transaction: RFC 7518 accepts either S.
            Assert.True(key.PublicKey.VerifyJws(Message, twin));
            Assert.True(key.PublicKey.VerifyJws(Message, sig));
            Assert.False(key.PublicKey.VerifyJws("careledgeR"u8, twin));
        }
    }

    [Fact]
    public void Key_id_is_the_SHA256_of_the_SubjectPublicKeyInfo()
    {
        using var key = SigningKey.Generate();
        Assert.Equal(Hash.Compute(key.PublicKey.SubjectPublicKeyInfo), key.Id.Value);
    }

    [Fact]
    public void Pem_round_trips_plain_and_encrypted_and_a_wrong_passphrase_is_refused()
    {
        using var key = SigningKey.Generate();
        using var plain = SigningKey.FromPem(key.ExportPem());
        Assert.Equal(key.Id, plain.Id);
        var encrypted = key.ExportPem("correct horse");
        using var decrypted = SigningKey.FromPem(encrypted, "correct horse");
        Assert.Equal(key.Id, decrypted.Id);
        Assert.Throws<FormatException>(() => SigningKey.FromPem(encrypted, "wrong"));
        Assert.Throws<FormatException>(() => SigningKey.FromPem(encrypted));
        Assert.Throws<FormatException>(() => SigningKey.FromPem("not a key"));
    }

    [Fact]
    public void Only_P256_public_keys_are_accepted()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Throws<FormatException>(() => PublicKey.FromSubjectPublicKeyInfo(p384.ExportSubjectPublicKeyInfo()));
        Assert.Throws<FormatException>(() => PublicKey.FromSubjectPublicKeyInfo(new byte[] { 1, 2, 3 }));
    }

    [Fact]
    public void Verification_is_safe_from_many_threads_at_once()
    {
        using var key = SigningKey.Generate();
        var sig = key.Sign(Message);
        var results = new bool[2000];
        Parallel.For(0, results.Length, i => results[i] = key.PublicKey.Verify(Message, sig.Span));
        Assert.All(results, Assert.True);
    }
}
