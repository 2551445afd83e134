using CareLedger.Contracts;
using CareLedger.Contracts.Identity;
using CareLedger.Ledger.Audit;
using CareLedger.Storage;
using CareLedger.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CareLedger.Ledger.Tests.Audit;

/// <summary>
/// Targeted edits of every column and table a node reads, as someone with the data directory would make them: each is
/// found by the full audit with its height (or table and row), and each one the start-up check covers stops the node.
/// Block h (1-6) holds log indexes 3(h-1) to 3h-1, so log index 7 is in block 3.
/// </summary>
[Collection("disk")]
public class StoreTamperTests
{
    public static TheoryData<string, string, long, string, bool> Edits => new()
    {
        // what, SQL, height, table, refused at start-up
        { "transaction id", "UPDATE transactions SET id = randomblob(32) WHERE log_index = 7", 3, "transactions", true },
        { "transaction id key", "UPDATE transactions SET id_key = id_key + 1 WHERE log_index = 7", 3, "transactions", true },
        { "transaction height", "UPDATE transactions SET height = 9 WHERE log_index = 7", 3, "transactions", true },
        { "transaction signer", "UPDATE transactions SET signer = randomblob(32) WHERE log_index = 7", 3, "transactions", true },
        { "transaction nonce", "UPDATE transactions SET nonce = nonce + 1 WHERE log_index = 7", 3, "transactions", true },
        { "transaction not-after", "UPDATE transactions SET not_after = not_after - 1 WHERE log_index = 7", 3, "transactions", true },
        { "transaction status", "UPDATE transactions SET status = 1 - status WHERE log_index = 7", 3, "transactions", true },
        { "transaction status as text", "UPDATE transactions SET status = 'committed' WHERE log_index = 7", 3, "transactions", true },
        { "block hash", "UPDATE blocks SET hash = randomblob(32) WHERE height = 3", 3, "blocks", true },
        { "block timestamp", "UPDATE blocks SET timestamp = timestamp + 1 WHERE height = 3", 3, "blocks", true },
        { "block first log index", "UPDATE blocks SET first_log_index = first_log_index + 1 WHERE height = 3", 3, "blocks", true },
        { "Merkle leaf", "UPDATE merkle_nodes SET hash = randomblob(32) WHERE level = 0 AND idx = 7", 3, "merkle_nodes", true },
        { "Merkle interior node", "UPDATE merkle_nodes SET hash = randomblob(32) WHERE level = 1 AND idx = 3", 3, "merkle_nodes", true },
        { "Merkle node removed", "DELETE FROM merkle_nodes WHERE level = 2 AND idx = 1", 3, "merkle_nodes", true },
        { "Merkle node added", "INSERT INTO merkle_nodes(level, idx, hash) VALUES (0, 1000, randomblob(32))", -1, "merkle_nodes", true },
        { "transaction row added past the log", "INSERT INTO transactions SELECT 1000, id, id_key, height, signer, nonce, not_after, status, raw, result FROM transactions WHERE log_index = 7", -1, "transactions", false },
        { "state value", "UPDATE state SET value = CAST('{}' AS BLOB) WHERE key = (SELECT key FROM state WHERE height = 3 LIMIT 1)", 3, "state", true },
        { "state height", "UPDATE state SET height = 4 WHERE key = (SELECT key FROM state WHERE height = 3 LIMIT 1)", 3, "state", false },
        { "state row removed", "DELETE FROM state WHERE key = (SELECT key FROM state WHERE height = 3 LIMIT 1)", 3, "state", true },
        { "state row added", "INSERT INTO state(key, value, height) VALUES ('identity/org/org:fake', x'7b7d', 3)", 3, "state", true },
        { "header vote by a stranger", "INSERT INTO header_votes VALUES (3, randomblob(32), (SELECT hash FROM blocks WHERE height = 3), randomblob(64))", 3, "header_votes", false },
        { "genesis copy", "UPDATE meta SET value = x'00' WHERE key = 'genesis'", 0, "meta", true },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public void Every_edit_is_found_with_its_height_and_table(string what, string sql, long height, string table, bool refusedAtStart)
    {
        using var chain = ChainOfSixBlocks();
        Tamper.Execute(chain.DatabasePath, sql);

        using var store = LedgerStore.Open(chain.DatabasePath);
        var failure = new StoreAuditor(chain.Genesis, chain.Auditor()).Audit(store).Failure;
        Assert.True(failure is not null, $"{what}: the audit passed");
        Assert.Equal((height, table), (failure.Height, failure.Table));

        if (refusedAtStart)
        {
            var refused = Assert.Throws<StoreCorruptedException>(() => OpenEngine(chain, store));
            Assert.Matches("verify|another chain", refused.Message);
        }
    }

    [Fact]
    public void A_validators_vote_must_carry_its_signature()
    {
        using var chain = ChainOfSixBlocks();
        var header = chain.Store.GetHeader(4)!.Header;
        var signature = chain.NodeKey.Sign(header.Hash.Span);
        Tamper.Execute(chain.DatabasePath, $"INSERT INTO header_votes VALUES (4, x'{chain.NodeKey.Id}', x'{header.Hash}', x'{signature}')");
        using (var store = LedgerStore.Open(chain.DatabasePath))
        {
            Assert.True(new StoreAuditor(chain.Genesis, chain.Auditor()).Audit(store).Passed);
        }

        Tamper.Execute(chain.DatabasePath, "UPDATE header_votes SET signature = randomblob(64) WHERE height = 4");
        using (var store = LedgerStore.Open(chain.DatabasePath))
        {
            var failure = new StoreAuditor(chain.Genesis, chain.Auditor()).Audit(store).Failure!;
            Assert.Equal((4L, "header_votes"), (failure.Height, failure.Table));
            Assert.Contains("does not verify", failure.Reason);
        }
    }

    [Fact]
    public void A_node_whose_signer_column_was_edited_refuses_to_start_so_a_transaction_cannot_be_committed_twice()
    {
        using var chain = ChainOfSixBlocks();
        var tx = chain.Anchor();
        chain.Commit(tx);
        // The replay window was once loaded from this column: the same signed bytes were then accepted again.
        Tamper.Execute(chain.DatabasePath, $"UPDATE transactions SET signer = randomblob(32) WHERE id = x'{tx.Id}'");

        using var store = LedgerStore.Open(chain.DatabasePath);
        var refused = Assert.Throws<StoreCorruptedException>(() => OpenEngine(chain, store));
        Assert.Contains("Block 7", refused.Message);
        Assert.Contains("signer", refused.Message);
    }

    [Fact]
    public void The_replay_window_after_a_restart_comes_from_the_signed_transactions()
    {
        using var chain = ChainOfSixBlocks();
        var tx = chain.Anchor();
        chain.Commit(tx);
        using var store = LedgerStore.Open(chain.DatabasePath);
        var engine = OpenEngine(chain, store);
        Assert.True(engine.Nonces.Contains(tx.Signer, tx.Nonce, chain.Now));
    }

    [Fact]
    public void An_untouched_store_passes_the_audit_and_the_start_up_check()
    {
        using var chain = ChainOfSixBlocks();
        using var store = LedgerStore.Open(chain.DatabasePath);
        var report = new StoreAuditor(chain.Genesis, chain.Auditor()).Audit(store);
        Assert.True(report.Passed, report.Failure?.ToString());
        Assert.Equal(18, report.Transactions);
        Assert.Equal(chain.Engine.Head.Header.Hash, OpenEngine(chain, store).Head.Header.Hash);
    }

    internal static TestChain ChainOfSixBlocks() => Chain(blocks: 6, transactionsPerBlock: 3);

    internal static TestChain Chain(int blocks, int transactionsPerBlock)
    {
        var chain = TestChain.OnDisk();
        for (var i = 0; i < blocks; i++)
        {
            chain.Commit(Enumerable.Range(0, transactionsPerBlock).Select(_ => chain.Anchor()).ToArray());
        }
        return chain;
    }

    private static LedgerEngine OpenEngine(TestChain chain, LedgerStore store) =>
        LedgerEngine.Open(store, ContractCatalog.Executor(new IdentitySignerDirectory()), chain.NodeKey, chain.Genesis,
            IdentityGenesis.StateFor(chain.Genesis), NullLogger.Instance);
}
