using CareLedger.Core.Crypto;
using CareLedger.Core.Encoding;
using CareLedger.Core.Ledger;
using CareLedger.Ledger.Admission;
using CareLedger.Testing;
using CsCheck;

namespace CareLedger.Ledger.Tests.Admission;

public class TransactionAdmissionTests
{
    private sealed class FixedClock(long ms) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }

    private static (TestChain Chain, TransactionAdmission Admission) Create()
    {
        var chain = TestChain.InMemory();
        var admission = new TransactionAdmission(chain.Genesis.Chain, chain.Signers, chain.Engine.State, new PendingTransactions(),
            () => chain.Engine.Nonces, new AdmissionOptions(), new FixedClock(chain.Now));
        return (chain, admission);
    }

    private static string Code(TransactionAdmission admission, ReadOnlyMemory<byte> bytes) =>
        admission.Reserve(admission.Check(bytes)).Rejection?.Code ?? "accepted";

    [Fact]
    public void A_well_formed_signed_transaction_is_accepted_once()
    {
        var (chain, admission) = Create();
        using var _ = chain;
        var tx = chain.Anchor();
        Assert.Equal("accepted", Code(admission, tx.Encoded));
        Assert.Equal(LedgerErrorCodes.Replay, Code(admission, tx.Encoded));
    }

    [Fact]
    public void A_transaction_signed_here_skips_only_the_signature_check_and_only_for_the_key_that_signed_it()
    {
        var (chain, admission) = Create();
        using var _ = chain;
        using var stranger = SigningKey.Generate();
        var key = chain.OrgKeys[0];
        var args = TransactionArgs.FromJson("""{"hash":"00","documentType":"x"}""");
        var tx = TransactionCodec.Sign(key, chain.Genesis.Chain, "notary.anchor", args, 1, chain.Now + 1000);
        Assert.Null(admission.Reserve(admission.CheckSignedHere(tx, key)).Rejection);
        Assert.Equal(LedgerErrorCodes.Replay, admission.Reserve(admission.CheckSignedHere(tx, key)).Rejection?.Code);
        // Holding some key is not holding the signer's: a transaction naming another signer is refused.
        Assert.Equal(LedgerErrorCodes.BadSignature, admission.CheckSignedHere(TransactionCodec.Sign(key, chain.Genesis.Chain, "notary.anchor", args, 2, chain.Now + 1000), stranger).Rejection?.Code);
        // Every other check still runs: a key the ledger does not know, an expired transaction.
        Assert.Equal(LedgerErrorCodes.UnknownSigner, admission.CheckSignedHere(TransactionCodec.Sign(stranger, chain.Genesis.Chain, "notary.anchor", args, 3, chain.Now + 1000), stranger).Rejection?.Code);
        Assert.Equal(LedgerErrorCodes.Expired, admission.CheckSignedHere(TransactionCodec.Sign(key, chain.Genesis.Chain, "notary.anchor", args, 4, chain.Now - 1), key).Rejection?.Code);
    }

    [Fact]
    public void A_transaction_already_in_a_block_is_a_replay_even_when_no_longer_pending()
    {
        var (chain, admission) = Create();
        using var _ = chain;
        var tx = chain.Anchor();
        chain.Commit(tx);
        Assert.Equal(LedgerErrorCodes.Replay, Code(admission, tx.Encoded));
    }

    [Fact]
    public void Each_kind_of_bad_transaction_gets_its_code()
    {
        var (chain, admission) = Create();
        using var _ = chain;
        using var stranger = SigningKey.Generate();
        var key = chain.OrgKeys[0];
        var args = TransactionArgs.FromJson("""{"hash":"00","documentType":"x"}""");
        Assert.Equal(LedgerErrorCodes.TooLarge, Code(admission, new byte[TransactionCodec.MaxSize + 1]));
        Assert.Equal(LedgerErrorCodes.Malformed, Code(admission, new byte[] { 0xA0 }));
        Assert.Equal(LedgerErrorCodes.WrongChain, Code(admission, TransactionCodec.Sign(key, "other-chain", "notary.anchor", args, 1, chain.Now + 1000).Encoded));
        Assert.Equal(LedgerErrorCodes.Expired, Code(admission, TransactionCodec.Sign(key, chain.Genesis.Chain, "notary.anchor", args, 2, chain.Now - 1).Encoded));
        Assert.Equal(LedgerErrorCodes.ValidityTooLong, Code(admission, TransactionCodec.Sign(key, chain.Genesis.Chain, "notary.anchor", args, 3, chain.Now + 3_600_000).Encoded));
        Assert.Equal(LedgerErrorCodes.UnknownSigner, Code(admission, TransactionCodec.Sign(stranger, chain.Genesis.Chain, "notary.anchor", args, 4, chain.Now + 1000).Encoded));

        // Re-sign the body with another key but keep the registered signer: the signature must not verify.
        var honest = TransactionCodec.Sign(key, chain.Genesis.Chain, "notary.anchor", args, 5, chain.Now + 1000);
        var forged = honest.Encoded.ToArray();
        var sig = stranger.Sign(TransactionCodec.SignedBytes(honest)).Span;
        // Canonical key order puts "sig" first: map header, text "sig", byte-string header, then the 64 bytes.
        Assert.Equal(honest.Signature.Span.ToArray(), forged.AsSpan(7, Signature.Size).ToArray());
        sig.CopyTo(forged.AsSpan(7));
        Assert.Equal(LedgerErrorCodes.BadSignature, Code(admission, forged));
    }

    [Fact]
    public void A_revoked_key_can_no_longer_sign()
    {
        var (chain, admission) = Create();
        using var _ = chain;
        using var second = SigningKey.Generate();
        var spki = Convert.ToBase64String(second.PublicKey.SubjectPublicKeyInfo);
        chain.Commit(chain.Sign(chain.OrgKeys[0], "identity.add_key", $$"""{"publicKey":"{{spki}}"}"""));
        Assert.Equal("accepted", Code(admission, chain.Anchor(key: second).Encoded));
        chain.Commit(chain.Sign(chain.OrgKeys[0], "identity.revoke_key", $$"""{"keyId":"{{second.Id}}"}"""));
        Assert.Equal(LedgerErrorCodes.InactiveSigner, Code(admission, chain.Anchor(key: second).Encoded));
    }

    [Fact]
    public void Batches_keep_their_order_and_check_every_item()
    {
        var (chain, admission) = Create();
        using var _ = chain;
        var good = Enumerable.Range(0, 40).Select(_ => chain.Anchor().Encoded).ToList();
        good.Insert(17, new byte[] { 1, 2, 3 });
        var results = admission.CheckBatch(good);
        Assert.Equal(41, results.Length);
        Assert.Equal(LedgerErrorCodes.Malformed, results[17].Rejection!.Code);
        Assert.Equal(40, results.Count(r => r.Accepted));
    }

    [Fact]
    public void Random_bytes_are_refused_without_exceptions()
    {
        var (chain, admission) = Create();
        using var _ = chain;
        Gen.Byte.Array[0, 600].Sample(bytes => !admission.Check(bytes).Accepted, iter: 3000);
    }
}
