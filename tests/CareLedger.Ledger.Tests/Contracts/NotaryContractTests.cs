using CareLedger.Contracts;
using CareLedger.Contracts.Notary;
using CareLedger.Core.Ledger;
using CareLedger.Testing;

namespace CareLedger.Ledger.Tests.Contracts;

public class NotaryContractTests
{
    [Fact]
    public void Anchoring_the_same_hash_twice_returns_the_first_anchoring()
    {
        using var chain = TestChain.InMemory(governingOrganisations: 2);
        var hash = TestChain.RandomHash();
        var first = chain.Anchor(hash);
        chain.Commit(first);
        var second = chain.Anchor(hash, chain.OrgKeys[1]);
        var result = Assert.Single(chain.Commit(second).Results);
        Assert.Equal(TransactionStatus.Committed, result.Status);
        var e = Assert.Single(result.Events);
        Assert.Equal("notary.already_anchored", e.Type);
        Assert.Equal(first.Id.ToString(), e.Attributes["firstTransaction"]);
        var record = StateJson.Read<AnchorRecord>(chain.Engine.State.Get(NotaryContract.AnchorKey(hash)))!;
        Assert.Equal(new AnchorRecord(first.Id.ToString(), 1L), record);
    }

    [Theory]
    [InlineData("ABCDEF", "lab-report", NotaryErrors.BadHash)]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", "Lab Report", NotaryErrors.BadDocumentType)]
    public void Bad_arguments_are_refused_with_their_code(string hash, string documentType, string code)
    {
        using var chain = TestChain.InMemory();
        var tx = chain.Sign(chain.OrgKeys[0], "notary.anchor", $$"""{"hash":"{{hash}}","documentType":"{{documentType}}"}""");
        Assert.Equal(code, Assert.Single(chain.Commit(tx).Results).Code);
    }
}
