using CareLedger.Consensus.Raft;
using CareLedger.Core.Ledger;
using CareLedger.Storage;
using CareLedger.Testing;

namespace CareLedger.Ledger.Tests.Consensus;

public class RaftEntryTests
{
    [Fact]
    public void Batches_and_votes_round_trip_byte_for_byte()
    {
        using var chain = TestChain.InMemory();
        var txs = new[] { chain.Anchor(), chain.Anchor() };
        var batch = new RaftEntry.BatchEntry(1_800_000_000_123, chain.NodeKey.Id, txs.Select(t => t.Encoded).ToList());
        var decoded = Assert.IsType<RaftEntry.BatchEntry>(RaftEntry.Decode(batch.Encode()));
        Assert.Equal((batch.Timestamp, batch.Proposer), (decoded.Timestamp, decoded.Proposer));
        Assert.Equal(txs.Select(t => t.Id), decoded.Transactions.Select(b => TransactionCodec.Parse(b).Id));
        Assert.Equal(batch.Encode(), decoded.Encode());

        var header = chain.Engine.Head.Header.Hash;
        var vote = new HeaderVote(0, header, new HeaderSignature(chain.NodeKey.Id, chain.NodeKey.Sign(header.Span)));
        var votes = Assert.IsType<RaftEntry.VotesEntry>(RaftEntry.Decode(new RaftEntry.VotesEntry([vote]).Encode()));
        Assert.Equal(vote.HeaderHash, Assert.Single(votes.Votes).HeaderHash);
        Assert.True(chain.NodeKey.PublicKey.Verify(header.Span, votes.Votes[0].Signature.Signature.Span));
    }

    [Theory]
    [InlineData("")]
    [InlineData("80")]            // empty array
    [InlineData("820963")]        // unknown kind 9
    [InlineData("8202")]          // votes kind without its list
    [InlineData("83010203")]      // batch with a non-hash proposer
    [InlineData("8202800000")]    // trailing bytes
    public void Anything_else_is_a_format_error(string hex)
    {
        Assert.Throws<FormatException>(() => RaftEntry.Decode(Convert.FromHexString(hex)));
    }
}
