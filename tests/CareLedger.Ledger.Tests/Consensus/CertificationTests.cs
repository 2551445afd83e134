using CareLedger.Consensus.Raft;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Storage;
using CareLedger.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CareLedger.Ledger.Tests.Consensus;

public sealed class CertificationTests : IDisposable
{
    private readonly TestChain _chain = TestChain.InMemory();
    private readonly SigningKey _second = SigningKey.Generate();
    private readonly SigningKey _third = SigningKey.Generate();
    private readonly Certification _certification;

    public CertificationTests()
    {
        var validators = new[] { _chain.NodeKey, _second, _third }.ToDictionary(k => k.Id, k => k.PublicKey);
        _certification = new Certification(_chain.Store, _chain.NodeKey, () => validators, NullLogger.Instance);
    }

    public void Dispose()
    {
        _chain.Dispose();
        _second.Dispose();
        _third.Dispose();
    }

    private static HeaderVote Vote(SigningKey key, long height, Hash header) =>
        new(height, header, new HeaderSignature(key.Id, key.Sign(header.Span)));

    [Fact]
    public void A_header_with_votes_from_a_majority_is_certified_and_the_receipt_header_carries_their_signatures()
    {
        var block = _chain.Commit(_chain.Anchor());
        Assert.Null(_certification.CertifiedHeader());
        _certification.Apply([Vote(_chain.NodeKey, 1, block.Header.Hash)], []);
        Assert.Null(_certification.CertifiedHeader());
        _certification.Apply([Vote(_second, 1, block.Header.Hash)], []);

        var certified = _certification.CertifiedHeader()!;
        Assert.Equal(block.Header.Hash, certified.Header.Hash);
        Assert.True(certified.HasValidSignatures(new[] { _chain.NodeKey, _second, _third }.ToDictionary(k => k.Id, k => k.PublicKey), required: 2));
        Assert.Null(_certification.CertifiedHeader(minLogSize: block.Header.LogSize + 1));
    }

    [Fact]
    public void Votes_by_strangers_with_bad_signatures_or_for_unknown_heights_are_ignored()
    {
        var block = _chain.Commit(_chain.Anchor());
        using var stranger = SigningKey.Generate();
        var forged = new HeaderVote(1, block.Header.Hash, new HeaderSignature(_second.Id, _third.Sign(block.Header.Hash.Span)));
        _certification.Apply([Vote(stranger, 1, block.Header.Hash), forged, Vote(_third, 99, block.Header.Hash), Vote(_chain.NodeKey, 1, block.Header.Hash)], []);
        Assert.Equal(_chain.NodeKey.Id, Assert.Single(_chain.Store.GetHeaderVotes(1)).Signature.Signer);
        Assert.Null(_certification.CertifiedHeader());
    }

    [Fact]
    public void A_validator_voting_against_the_majority_is_recorded_as_faulty_and_its_votes_stop_counting()
    {
        var block = _chain.Commit(_chain.Anchor());
        var other = Hash.Compute("a different header"u8);
        _certification.Apply([Vote(_third, 1, other), Vote(_chain.NodeKey, 1, block.Header.Hash), Vote(_second, 1, block.Header.Hash)], []);
        var evidence = Assert.Single(_certification.FaultEvidence());
        Assert.Equal((_third.Id, other), (evidence.Signature.Signer, evidence.HeaderHash));
        Assert.Contains(_third.Id, _certification.FaultyValidators());
        Assert.Null(_certification.Divergence);

        var next = _chain.Commit(_chain.Anchor());
        _certification.Apply([Vote(_third, 2, next.Header.Hash)], []);
        Assert.Empty(_chain.Store.GetHeaderVotes(2));
    }

    [Fact]
    public void When_the_majority_certifies_another_header_this_node_has_diverged_and_stops()
    {
        _chain.Commit(_chain.Anchor());
        var majority = Hash.Compute("the network's header"u8);
        _certification.Apply([Vote(_second, 1, majority)], []);
        var ex = Assert.Throws<ConsensusDivergenceException>(() => _certification.Apply([Vote(_third, 1, majority)], []));
        Assert.Equal(majority, ex.Evidence.MajorityHeader);
        Assert.Equal(2, ex.Evidence.MajoritySignatures.Count);
        Assert.Same(ex.Evidence, _certification.Divergence);
    }
}
