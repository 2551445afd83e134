using CareLedger.Core.Ledger;
using CareLedger.Core.Merkle;
using CareLedger.Ledger.Execution;
using CareLedger.Testing;

namespace CareLedger.Ledger.Tests.Execution;

public class LedgerEngineTests
{
    [Fact]
    public void Blocks_link_to_their_parent_and_are_signed_by_the_node()
    {
        using var chain = TestChain.InMemory();
        var genesis = chain.Engine.Head.Header;
        Assert.Equal(0, genesis.Height);
        Assert.Equal(chain.Genesis.ComputeHash(), genesis.PreviousHash);
        var b1 = chain.Commit(chain.Anchor(), chain.Anchor());
        var b2 = chain.Commit(chain.Anchor());
        Assert.Equal(genesis.Hash, b1.Header.PreviousHash);
        Assert.Equal(b1.Header.Hash, b2.Header.PreviousHash);
        Assert.Equal(3, b2.Header.LogSize);
        Assert.True(b2.SignedHeader.HasValidSignatures(chain.Validators));
        Assert.Equal(MemoryMerkleNodeStore.BuildLog(b1.Transactions.Select(t => t.Id.Span.ToArray())).Root(), b1.Header.TransactionRoot);
    }

    [Fact]
    public void Every_committed_transaction_has_a_receipt_that_verifies_offline()
    {
        using var chain = TestChain.InMemory();
        var txs = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, 7).Select(_ => chain.Anchor()).ToArray()).ToList();
        foreach (var block in txs)
        {
            chain.Commit(block);
        }
        foreach (var tx in txs.SelectMany(b => b))
        {
            var receipt = chain.Engine.GetReceipt(tx.Id)!;
            Assert.Equal(tx.Id, receipt.Result.TransactionId);
            Assert.Null(receipt.Verify(chain.Validators));
        }
        Assert.Null(chain.Engine.GetReceipt(Core.Crypto.Hash.Compute("unknown"u8)));
    }

    [Fact]
    public void Consistency_proofs_show_each_head_extends_the_earlier_ones()
    {
        using var chain = TestChain.InMemory();
        var heads = new List<BlockHeader>();
        for (var i = 0; i < 6; i++)
        {
            heads.Add(chain.Commit(Enumerable.Range(0, i + 1).Select(_ => chain.Anchor()).ToArray()).Header);
        }
        foreach (var early in heads)
        {
            foreach (var late in heads.Where(h => h.Height >= early.Height))
            {
                var proof = chain.Engine.ConsistencyProof(early.LogSize, late.LogSize);
                Assert.True(MerkleProofs.VerifyConsistency(early.LogSize, late.LogSize, early.LogRoot, late.LogRoot, proof));
            }
        }
    }

    [Fact]
    public void Contract_rejections_are_recorded_with_their_code_and_write_nothing()
    {
        using var chain = TestChain.InMemory();
        var bad = chain.Sign(chain.OrgKeys[0], "notary.anchor", """{"hash":"not-hex","documentType":"x"}""");
        var unknown = chain.Sign(chain.OrgKeys[0], "nothing.here", "{}");
        var missingArg = chain.Sign(chain.OrgKeys[0], "notary.anchor", """{"documentType":"x"}""");
        var block = chain.Commit(bad, unknown, missingArg);
        Assert.Equal(["notary.bad_hash", LedgerErrorCodes.UnknownType, LedgerErrorCodes.BadArguments], block.Results.Select(r => r.Code));
        Assert.All(block.Results, r => Assert.Equal(TransactionStatus.Rejected, r.Status));
        Assert.Equal(chain.Engine.Head.Header.StateDigest, StateOverlay.ChainStateDigest(chain.Store.GetHeader(0)!.Header.StateDigest, StateOverlay.DigestOf([])));
        Assert.NotNull(chain.Store.GetTransaction(bad.Id));
    }

    [Fact]
    public void A_replayed_nonce_and_an_expired_transaction_are_rejected_in_the_block()
    {
        using var chain = TestChain.InMemory();
        var first = chain.Sign(chain.OrgKeys[0], "notary.anchor", $$"""{"hash":"{{TestChain.RandomHash()}}","documentType":"x"}""", nonce: 424242);
        chain.Commit(first);
        var replay = chain.Sign(chain.OrgKeys[0], "notary.anchor", $$"""{"hash":"{{TestChain.RandomHash()}}","documentType":"x"}""", nonce: 424242);
        var expired = chain.Sign(chain.OrgKeys[0], "notary.anchor", $$"""{"hash":"{{TestChain.RandomHash()}}","documentType":"x"}""", notAfter: chain.Now - 1);
        var tooLong = chain.Sign(chain.OrgKeys[0], "notary.anchor", $$"""{"hash":"{{TestChain.RandomHash()}}","documentType":"x"}""", notAfter: chain.Now + (long)TimeSpan.FromHours(2).TotalMilliseconds);
        var block = chain.Commit(replay, expired, tooLong);
        Assert.Equal([LedgerErrorCodes.Replay, LedgerErrorCodes.Expired, LedgerErrorCodes.ValidityTooLong], block.Results.Select(r => r.Code));
    }

    [Fact]
    public void A_byte_identical_copy_of_an_included_transaction_is_dropped_not_recorded_twice()
    {
        using var chain = TestChain.OnDisk();
        var tx = chain.Anchor();
        var first = chain.Commit(tx, tx);
        Assert.Single(first.Transactions);
        var again = chain.Commit(tx, chain.Anchor());
        Assert.Single(again.Transactions);
        Assert.NotEqual(tx.Id, again.Transactions[0].Id);
        Assert.True(chain.Auditor().Audit(chain.Store.ReadBlocks(), chain.Store.ReadState()).Passed);
    }

    [Fact]
    public void Execution_is_deterministic_across_nodes()
    {
        using var a = TestChain.InMemory();
        using var b = TestChain.InMemory();
        var txs = Enumerable.Range(0, 20).Select(_ => a.Anchor()).ToArray();
        var executor = CareLedger.Contracts.ContractCatalog.Executor(new CareLedger.Contracts.Identity.IdentitySignerDirectory());
        var context = new BlockContext(a.Genesis.Chain, 1, a.Now + 1000);
        var one = executor.Execute(context, txs, a.Engine.State, new NonceWindow());
        var two = executor.Execute(context, txs, a.Engine.State, new NonceWindow());
        Assert.Equal(one.Results.Select(TransactionResultCodec.Encode), two.Results.Select(TransactionResultCodec.Encode));
        Assert.Equal(one.WritesDigest, two.WritesDigest);
        Assert.NotEqual(a.Genesis.ComputeHash(), b.Genesis.ComputeHash());
    }

    [Fact]
    public void A_reopened_engine_continues_the_same_chain()
    {
        using var chain = TestChain.OnDisk();
        chain.Commit(chain.Anchor(), chain.Anchor());
        var head = chain.Engine.Head.Header;
        var reopened = LedgerEngine.Open(chain.Store, CareLedger.Contracts.ContractCatalog.Executor(chain.Signers), chain.NodeKey, chain.Genesis,
            CareLedger.Contracts.Identity.IdentityGenesis.StateFor(chain.Genesis), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Assert.Equal(head.Hash, reopened.Head.Header.Hash);
        var next = reopened.Commit(new CareLedger.Ledger.Ordering.OrderedBatch(chain.Now + 5000, [chain.Anchor()]));
        Assert.Equal(head.Hash, next.Header.PreviousHash);
        Assert.Equal(3, next.Header.LogSize);
    }
}
