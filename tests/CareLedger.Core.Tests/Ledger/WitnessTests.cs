using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;

namespace CareLedger.Core.Tests.Ledger;

public class WitnessTests
{
    private static readonly Checkpoint Sample = new("careledger/test", 7, Hash.Compute("root"u8), 3, Hash.Compute("header"u8));

    [Fact]
    public void Keys_round_trip_as_C2SP_signer_and_verifier_keys_and_a_changed_key_id_is_refused()
    {
        // A key whose base64 holds a '+' (the separator of the key's parts) must still parse.
        var key = Enumerable.Range(0, 200).Select(_ => WitnessKey.Generate("witness.example/w1"))
            .First(k => k.Witness.VerifierKey.Split('+', 3)[2].Contains('+') && k.SignerKey.Split('+', 5)[4].Contains('+'));
        var again = WitnessKey.Parse(key.SignerKey);
        Assert.Equal(key.Witness.VerifierKey, again.Witness.VerifierKey);
        var parsed = Witness.Parse(key.Witness.VerifierKey);
        Assert.Equal((key.Witness.Name, key.Witness.KeyId), (parsed.Name, parsed.KeyId));
        Assert.StartsWith("witness.example/w1+", key.Witness.VerifierKey);

        var parts = key.Witness.VerifierKey.Split('+', 3);
        Assert.Throws<FormatException>(() => Witness.Parse($"{parts[0]}+00000000+{parts[2]}"));
        Assert.Throws<FormatException>(() => Witness.Parse($"with space+{parts[1]}+{parts[2]}"));
    }

    [Fact]
    public void A_cosignature_verifies_at_its_time_and_not_over_another_checkpoint_or_another_time()
    {
        using var log = SigningKey.Generate();
        var witness = WitnessKey.Generate("witness.example/w1");
        var note = Sample.Sign(log) + witness.Cosign(Sample, 1_800_000_000);
        var (body, signatures) = Checkpoint.SplitNote(note);
        Assert.Equal(1_800_000_000, witness.Witness.CosignedAt(body, signatures));
        Assert.Equal(Sample, Checkpoint.Open(note, [log.PublicKey]));

        // Another witness did not cosign; the same line over another checkpoint, or with its time changed, fails.
        Assert.Null(WitnessKey.Generate("witness.example/w2").Witness.CosignedAt(body, signatures));
        var other = Sample with { Size = 8 };
        Assert.Throws<FormatException>(() => witness.Witness.CosignedAt(other.Body, signatures));
        var line = signatures.Single(s => s.Name == witness.Witness.Name).Signature.ToArray();
        line[11] ^= 0x01;
        Assert.Throws<FormatException>(() => witness.Witness.CosignedAt(body, [(witness.Witness.Name, line)]));
    }
}
