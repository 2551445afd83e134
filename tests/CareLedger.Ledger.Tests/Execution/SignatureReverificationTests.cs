using CareLedger.Core.Ledger;
using CareLedger.Ledger.Execution;
using CareLedger.Testing;

namespace CareLedger.Ledger.Tests.Execution;

/// <summary>Consortium mode: batches another node ordered are executed with every signature checked again.</summary>
public class SignatureReverificationTests
{
    private static Transaction Forge(Transaction tx)
    {
        var bytes = tx.Encoded.ToArray();
        var at = bytes.AsSpan().IndexOf(tx.Signature.Span);
        bytes[at + 5] ^= 0x01;   // a bit of r: still a well-formed signature, no longer a valid one
        return TransactionCodec.Parse(bytes);
    }

    [Fact]
    public void A_forged_signature_is_rejected_on_every_node_that_re_verifies_and_writes_nothing()
    {
        using var chain = TestChain.InMemory();
        var honest = chain.Anchor();
        var forged = Forge(chain.Anchor());
        var executed = ContractCatalogExecutor(chain).Execute(new BlockContext(chain.Genesis.Chain, 1, chain.Now), [honest, forged],
            chain.Engine.State, new NonceWindow(), verifySignatures: true);
        Assert.Equal(TransactionStatus.Committed, executed.Results[0].Status);
        Assert.Equal(LedgerErrorCodes.BadSignature, executed.Results[1].Code);
        Assert.Single(executed.BlockWrites.Writes);
    }

    [Fact]
    public void Signatures_this_nodes_admission_verified_are_not_checked_twice_but_a_different_key_is()
    {
        using var chain = TestChain.InMemory();
        var forged = Forge(chain.Anchor());
        var memo = new VerifiedSignatures();
        memo.Add(forged.Id, chain.OrgKeys[0].Id);   // as if admission had verified it (it is in the memo only for this test)
        var executed = ContractCatalogExecutor(chain).Execute(new BlockContext(chain.Genesis.Chain, 1, chain.Now), [forged],
            chain.Engine.State, new NonceWindow(), verifySignatures: true, verified: memo);
        Assert.Equal(TransactionStatus.Committed, executed.Results[0].Status);

        var other = new VerifiedSignatures();
        other.Add(forged.Id, chain.NodeKey.Id);
        var checkedAgain = ContractCatalogExecutor(chain).Execute(new BlockContext(chain.Genesis.Chain, 1, chain.Now), [forged],
            chain.Engine.State, new NonceWindow(), verifySignatures: true, verified: other);
        Assert.Equal(LedgerErrorCodes.BadSignature, checkedAgain.Results[0].Code);
    }

    private static BlockExecutor ContractCatalogExecutor(TestChain chain) => CareLedger.Contracts.ContractCatalog.Executor(chain.Signers);
}
