using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;

namespace CareLedger.Core.Tests.Ledger;

public class CheckpointTests
{
    private static readonly Checkpoint Sample = new("careledger/test", 7, Hash.Compute("root"u8), 3, Hash.Compute("header"u8));

    [Fact]
    public void A_signed_checkpoint_is_a_C2SP_note_that_opens_with_the_signers_key()
    {
        using var key = SigningKey.Generate();
        var note = Sample.Sign(key);
        var lines = note.Split('\n');
        Assert.Equal(["careledger/test", "7", Convert.ToBase64String(Hash.Compute("root"u8).Span), $"block 3 {Hash.Compute("header"u8)}", ""], lines[..5]);
        Assert.StartsWith($"\u2014 {Checkpoint.KeyNameOf("careledger/test", key.PublicKey)} ", lines[5]);
        Assert.Equal(Sample, Checkpoint.Open(note, [key.PublicKey]));
    }

    [Fact]
    public void A_changed_body_a_stranger_key_or_a_broken_note_is_refused()
    {
        using var key = SigningKey.Generate();
        using var stranger = SigningKey.Generate();
        var note = Sample.Sign(key);
        Assert.Throws<FormatException>(() => Checkpoint.Open(note.Replace("\n7\n", "\n8\n", StringComparison.Ordinal), [key.PublicKey]));
        Assert.Throws<FormatException>(() => Checkpoint.Open(note, [stranger.PublicKey]));
        Assert.Throws<FormatException>(() => Checkpoint.Open(note.Replace("\n\n", "\n", StringComparison.Ordinal), [key.PublicKey]));
    }
}
