using CareLedger.Contracts;
using CareLedger.Contracts.Identity;
using CareLedger.Ledger.Audit;
using CareLedger.Storage;
using CareLedger.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CareLedger.Ledger.Tests.Audit;

[Collection("disk")]
public class ChainAuditorTests
{
    private static TestChain ChainWithBlocks(int blocks)
    {
        var chain = TestChain.OnDisk();
        for (var i = 0; i < blocks; i++)
        {
            chain.Commit(chain.Anchor(), chain.Anchor(), chain.Anchor());
        }
        return chain;
    }

    private static AuditReport Audit(TestChain chain)
    {
        using var store = LedgerStore.Open(chain.DatabasePath);
        return chain.Auditor().Audit(store.ReadBlocks(), store.ReadState());
    }

    [Fact]
    public void An_untouched_chain_passes()
    {
        using var chain = ChainWithBlocks(4);
        var report = Audit(chain);
        Assert.True(report.Passed, report.Failure?.ToString());
        Assert.Equal((5L, 12L), (report.Blocks, report.Transactions));
    }

    [Fact]
    public void One_changed_byte_in_a_header_is_found_at_its_height()
    {
        using var chain = ChainWithBlocks(4);
        Tamper.FlipByte(chain.DatabasePath, "blocks", "header", "height = 2", 200);
        var report = Audit(chain);
        Assert.Equal(2, report.Failure!.Height);
    }

    [Fact]
    public void One_changed_byte_in_a_transaction_is_found_at_its_height()
    {
        using var chain = ChainWithBlocks(4);
        Tamper.FlipByte(chain.DatabasePath, "transactions", "raw", "log_index = 7", 60);
        Assert.Equal(3, Audit(chain).Failure!.Height);
    }

    [Fact]
    public void One_changed_byte_in_a_result_is_found_at_its_height()
    {
        using var chain = ChainWithBlocks(4);
        Tamper.FlipByte(chain.DatabasePath, "transactions", "result", "log_index = 4", 5);
        Assert.Equal(2, Audit(chain).Failure!.Height);
    }

    [Fact]
    public void One_changed_byte_in_a_state_row_is_found_at_the_height_that_wrote_it()
    {
        using var chain = ChainWithBlocks(4);
        Tamper.FlipByte(chain.DatabasePath, "state", "value", "key = (SELECT key FROM state WHERE height = 3 LIMIT 1)", 10);
        var failure = Audit(chain).Failure!;
        Assert.Equal(3, failure.Height);
        Assert.Contains("state key", failure.Reason);
    }

    [Fact]
    public void A_transaction_whose_signature_does_not_verify_is_found_at_its_height()
    {
        using var chain = ChainWithBlocks(2);
        using var stranger = Core.Crypto.SigningKey.Generate();
        // Signed by a stranger but naming a registered signer: only admission would have stopped it.
        var honest = chain.Anchor();
        var forged = honest.Encoded.ToArray();
        stranger.Sign(Core.Ledger.TransactionCodec.SignedBytes(honest)).Span.CopyTo(forged.AsSpan(7));
        chain.Commit(Core.Ledger.TransactionCodec.Parse(forged));
        chain.Commit(chain.Anchor());
        var failure = Audit(chain).Failure!;
        Assert.Equal(3, failure.Height);
        Assert.Contains("bad signature", failure.Reason);
    }

    [Fact]
    public void A_state_row_nobody_wrote_is_found()
    {
        using var chain = ChainWithBlocks(2);
        Tamper.Execute(chain.DatabasePath, "INSERT INTO state(key, value, height) VALUES ('identity/org/org:fake', x'7b7d', 1)");
        Assert.Equal(1, Audit(chain).Failure!.Height);
    }

    [Fact]
    public void A_removed_block_breaks_the_chain_at_the_gap()
    {
        using var chain = ChainWithBlocks(4);
        Tamper.Execute(chain.DatabasePath, "DELETE FROM blocks WHERE height = 2");
        Assert.Equal(2, Audit(chain).Failure!.Height);
    }

    [Fact]
    public void The_engine_refuses_to_open_a_store_whose_head_does_not_verify()
    {
        using var chain = ChainWithBlocks(3);
        Tamper.FlipByte(chain.DatabasePath, "transactions", "result", "log_index = 8", 3);
        using var store = LedgerStore.Open(chain.DatabasePath);
        var error = Assert.Throws<StoreCorruptedException>(() => LedgerEngine.Open(store, ContractCatalog.Executor(new IdentitySignerDirectory()),
            chain.NodeKey, chain.Genesis, IdentityGenesis.StateFor(chain.Genesis), NullLogger.Instance));
        Assert.Contains("Block 3 does not verify", error.Message);
    }

    [Fact]
    public void Exports_round_trip_and_verify_offline()
    {
        using var chain = ChainWithBlocks(3);
        using var buffer = new MemoryStream();
        ChainExport.Write(buffer, chain.Genesis, chain.Store.ReadBlocks());
        var (genesis, blocks) = ChainExport.Read(buffer.ToArray());
        Assert.Equal(chain.Genesis.ComputeHash(), genesis.ComputeHash());
        var report = chain.Auditor().Audit(blocks, null);
        Assert.True(report.Passed);
        Assert.Equal(9, report.Transactions);
        var bytes = buffer.ToArray();
        bytes[bytes.Length / 2] ^= 0x40;
        var tampered = ChainExport.Read(bytes);
        Assert.False(chain.Auditor().Audit(tampered.Blocks, null).Passed);
    }
}
