using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Core.Merkle;

namespace CareLedger.Core.Tests.Ledger;

public class LedgerCodecTests
{
    private static BlockHeader Header(long height = 3) => new("careledger-test", height, Hash.Compute("prev"u8), 1_800_000_000_000, 2,
        Hash.Compute("tx"u8), 10, Hash.Compute("log"u8), Hash.Compute("state"u8), Hash.Compute("set"u8), new KeyId(Hash.Compute("key"u8)));

    [Fact]
    public void Signed_header_round_trips_and_the_hash_is_of_the_canonical_encoding()
    {
        using var key = SigningKey.Generate();
        var signed = SignedBlockHeader.Sign(Header(), key);
        var parsed = BlockHeaderCodec.ParseSigned(BlockHeaderCodec.EncodeSigned(signed));
        Assert.Equal(signed.Header.Hash, parsed.Header.Hash);
        Assert.Equal(Hash.Compute(signed.Header.Encoded.Span), signed.Header.Hash);
        Assert.True(parsed.HasValidSignatures(new Dictionary<KeyId, PublicKey> { [key.Id] = key.PublicKey }));
    }

    [Fact]
    public void Headers_differing_in_any_field_have_different_hashes()
    {
        Assert.NotEqual(Header(3).Hash, Header(4).Hash);
    }

    [Fact]
    public void Header_signatures_by_untrusted_keys_do_not_count_and_bad_ones_by_trusted_keys_fail()
    {
        using var trusted = SigningKey.Generate();
        using var stranger = SigningKey.Generate();
        var trust = new Dictionary<KeyId, PublicKey> { [trusted.Id] = trusted.PublicKey };
        Assert.False(SignedBlockHeader.Sign(Header(), stranger).HasValidSignatures(trust));
        var forged = new SignedBlockHeader(Header(), [new HeaderSignature(trusted.Id, stranger.Sign(Header().Hash.Span))]);
        Assert.False(forged.HasValidSignatures(trust));
    }

    [Fact]
    public void Result_entries_round_trip_with_events()
    {
        var result = new TransactionResult
        {
            TransactionId = Hash.Compute("t"u8),
            Height = 9,
            Index = 4,
            Status = TransactionStatus.Rejected,
            Code = "notary.bad_hash",
            Message = "bad",
            Events = [new LedgerEvent("x.y", [KeyValuePair.Create("b", "2"), KeyValuePair.Create("a", "1")])],
            WriteSetDigest = Hash.Compute("w"u8),
        };
        var bytes = TransactionResultCodec.Encode(result);
        var parsed = TransactionResultCodec.Parse(bytes);
        Assert.Equal(bytes, TransactionResultCodec.Encode(parsed));
        Assert.Equal(["a", "b"], parsed.Events[0].Attributes.Keys);
        Assert.Throws<FormatException>(() => TransactionResultCodec.Parse(bytes.AsMemory(0, bytes.Length - 1)));
    }

    [Fact]
    public void Receipts_verify_offline_and_fail_when_anything_is_changed()
    {
        using var key = SigningKey.Generate();
        var results = Enumerable.Range(0, 5).Select(i => new TransactionResult
        {
            TransactionId = Hash.Compute([(byte)i]),
            Height = 1,
            Index = i,
            Status = TransactionStatus.Committed,
            WriteSetDigest = Hash.Compute([]),
        }).ToList();
        var log = MemoryMerkleNodeStore.BuildLog(results.Select(TransactionResultCodec.Encode));
        var header = new BlockHeader("c", 1, Hash.Zero, 1, 5, Hash.Zero, log.Size, log.Root(), Hash.Zero, Hash.Zero, key.Id);
        var signed = SignedBlockHeader.Sign(header, key);
        var trust = new Dictionary<KeyId, PublicKey> { [key.Id] = key.PublicKey };
        var receipt = new Receipt(results[3], 3, log.InclusionProof(3, 5), signed);
        Assert.Null(receipt.Verify(trust));
        Assert.NotNull((receipt with { LogIndex = 2 }).Verify(trust));
        Assert.NotNull((receipt with { Result = results[3] with { Status = TransactionStatus.Rejected } }).Verify(trust));
        Assert.NotNull(receipt.Verify(new Dictionary<KeyId, PublicKey>()));
    }

    [Fact]
    public void Genesis_documents_round_trip()
    {
        using var key = SigningKey.Generate();
        var genesis = new GenesisDocument
        {
            Chain = "c",
            Timestamp = 5,
            Validators = [key.PublicKey.SubjectPublicKeyInfo.ToArray()],
            Organisations = [new GenesisOrganisation("org:a", "Hospital", true, [key.PublicKey.SubjectPublicKeyInfo.ToArray()])],
        };
        var parsed = GenesisDocument.Parse(genesis.Encode());
        Assert.Equal(genesis.Encode(), parsed.Encode());
        Assert.Equal(genesis.ComputeHash(), parsed.ComputeHash());
        Assert.Single(parsed.ValidatorKeys());
    }
}
