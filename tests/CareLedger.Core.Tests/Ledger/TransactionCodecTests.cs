using System.Formats.Cbor;
using CareLedger.Core.Crypto;
using CareLedger.Core.Encoding;
using CareLedger.Core.Ledger;
using CsCheck;
using Hash = CareLedger.Core.Crypto.Hash;

namespace CareLedger.Core.Tests.Ledger;

public class TransactionCodecTests
{
    private static readonly SigningKey Key = SigningKey.Generate();

    private static Transaction Sample(ulong nonce = 7) =>
        TransactionCodec.Sign(Key, "careledger-test", "notary.anchor",
            TransactionArgs.FromJson("""{"hash":"00","documentType":"lab-report"}"""), nonce, 1_800_000_000_000);

    [Fact]
    public void Round_trip_keeps_every_field_and_the_id()
    {
        var tx = Sample();
        var parsed = TransactionCodec.Parse(tx.Encoded);
        Assert.Equal(tx.Id, parsed.Id);
        Assert.Equal(tx.Chain, parsed.Chain);
        Assert.Equal(tx.Type, parsed.Type);
        Assert.Equal(tx.Signer, parsed.Signer);
        Assert.Equal(tx.Nonce, parsed.Nonce);
        Assert.Equal(tx.NotAfter, parsed.NotAfter);
        Assert.Equal(tx.Signature, parsed.Signature);
        Assert.Equal(tx.Args.Encoded.ToArray(), parsed.Args.Encoded.ToArray());
        Assert.Equal(Hash.Compute(tx.Encoded.Span), tx.Id);
    }

    [Fact]
    public void The_signature_covers_everything_but_itself()
    {
        var tx = Sample();
        Assert.True(Key.PublicKey.Verify(TransactionCodec.SignedBytes(tx), tx.Signature.Span));
        var other = Sample(nonce: 8);
        Assert.False(Key.PublicKey.Verify(TransactionCodec.SignedBytes(other), tx.Signature.Span));
    }

    [Fact]
    public void A_typical_notary_transaction_is_about_300_bytes()
    {
        var tx = TransactionCodec.Sign(Key, "careledger-local", "notary.anchor",
            TransactionArgs.FromJson($$"""{"hash":"{{new string('a', 64)}}","documentType":"discharge-summary"}"""), ulong.MaxValue, 1_800_000_000_000);
        Assert.InRange(tx.Encoded.Length, 250, 350);
    }

    [Fact]
    public void Every_truncation_is_refused()
    {
        var bytes = Sample().Encoded.ToArray();
        for (var n = 0; n < bytes.Length; n++)
        {
            Assert.Throws<FormatException>(() => TransactionCodec.Parse(bytes.AsMemory(0, n)));
        }
    }

    [Fact]
    public void Trailing_bytes_unknown_fields_and_non_canonical_forms_are_refused()
    {
        var bytes = Sample().Encoded.ToArray();
        Assert.Throws<FormatException>(() => TransactionCodec.Parse(bytes.Append((byte)0).ToArray()));

        var w = new CborWriter(CborConformanceMode.Lax);
        var r = new CborReader(bytes, CborConformanceMode.Canonical);
        // Re-encode the same map with the nonce in a non-shortest form: valid CBOR, not canonical.
        r.ReadStartMap();
        w.WriteStartMap(7);
        for (var i = 0; i < 7; i++)
        {
            var key = r.ReadTextString();
            w.WriteTextString(key);
            if (key == "nonce")
            {
                w.WriteEncodedValue(new byte[] { 0x1B, 0, 0, 0, 0, 0, 0, 0, (byte)r.ReadUInt64() });
            }
            else
            {
                w.WriteEncodedValue(r.ReadEncodedValue().Span);
            }
        }
        w.WriteEndMap();
        Assert.Throws<FormatException>(() => TransactionCodec.Parse(w.Encode()));
    }

    [Fact]
    public void Oversized_input_is_refused_before_decoding()
    {
        Assert.Contains("at most", Assert.Throws<FormatException>(() => TransactionCodec.Parse(new byte[TransactionCodec.MaxSize + 1])).Message);
    }

    [Fact]
    public void Random_bytes_never_crash_the_decoder()
    {
        Gen.Byte.Array[0, 400].Sample(bytes =>
        {
            try
            {
                TransactionCodec.Parse(bytes);
            }
            catch (FormatException)
            {
            }
        }, iter: 5000);
    }

    [Fact]
    public void Random_corruptions_of_a_valid_transaction_are_refused_or_change_the_id()
    {
        var tx = Sample();
        var original = tx.Encoded.ToArray();
        Gen.Int[0, original.Length - 1].Select(Gen.Byte[1, 255]).Sample((position, flip) =>
        {
            var bytes = original.ToArray();
            bytes[position] ^= flip;
            try
            {
                var parsed = TransactionCodec.Parse(bytes);
                // If it still decodes, it is another transaction: its id differs and the signature no longer holds.
                return parsed.Id != tx.Id && !Key.PublicKey.Verify(TransactionCodec.SignedBytes(parsed), parsed.Signature.Span);
            }
            catch (FormatException)
            {
                return true;
            }
        }, iter: 3000);
    }

    [Theory]
    [InlineData("notary")]
    [InlineData(".anchor")]
    [InlineData("notary.")]
    public void Types_must_be_contract_dot_action(string type)
    {
        Assert.Throws<FormatException>(() => TransactionCodec.Sign(Key, "c", type, TransactionArgs.Empty, 1, 1));
    }
}
