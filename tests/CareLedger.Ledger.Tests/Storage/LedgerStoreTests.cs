using CareLedger.Storage;
using CareLedger.Testing;
using Microsoft.Data.Sqlite;

namespace CareLedger.Ledger.Tests.Storage;

[Collection("disk")]
public class LedgerStoreTests
{
    [Fact]
    public void The_store_is_a_WAL_SQLite_file_that_keeps_blocks_across_reopening()
    {
        using var chain = TestChain.OnDisk();
        var tx = chain.Anchor();
        chain.Commit(tx);
        using (var c = new SqliteConnection($"Data Source={chain.DatabasePath};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode";
            Assert.Equal("wal", cmd.ExecuteScalar());
        }
        using var reopened = LedgerStore.Open(chain.DatabasePath);
        Assert.Equal(1, reopened.GetHead()!.Header.Height);
        Assert.Equal(tx.Id, reopened.GetTransaction(tx.Id)!.Transaction.Id);
        Assert.NotNull(reopened.GetState(CareLedger.Contracts.Notary.NotaryContract.AnchorKey(tx.Args.GetString("hash"))));
    }

    [Fact]
    public void A_store_closed_cleanly_leaves_every_committed_block_in_the_database_file_alone()
    {
        var copy = Path.Combine(Path.GetTempPath(), $"careledger-closed-{Guid.NewGuid():N}.db");
        try
        {
            using (var chain = TestChain.OnDisk())
            {
                var tx = chain.Anchor();
                chain.Commit(tx);
                var log = chain.DatabasePath + "-wal";
                Assert.True(new FileInfo(log).Length > 0, "The committed block should be in the log while the store is open.");

                chain.Store.Dispose();
                Assert.True(!File.Exists(log) || new FileInfo(log).Length == 0, "A clean close should empty the log.");
                File.Copy(chain.DatabasePath, copy);
            }
            using var fromFileAlone = LedgerStore.Open(copy);
            Assert.Equal(1, fromFileAlone.GetHead()!.Header.Height);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { copy, copy + "-wal", copy + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public void The_log_is_checkpointed_and_restarted_at_the_page_count_the_store_was_opened_with()
    {
        static long LogPagesAfterSixtyBlocks(TestChain chain)
        {
            for (var i = 0; i < 60; i++)
            {
                chain.Commit(Enumerable.Range(0, 20).Select(_ => chain.Anchor()).ToArray());
            }
            return new FileInfo(chain.DatabasePath + "-wal").Length / (4096 + 24);
        }

        long unrestarted;
        using (var byDefault = TestChain.OnDisk())
        {
            unrestarted = LogPagesAfterSixtyBlocks(byDefault);
        }
        using (var every64 = TestChain.OnDisk(checkpointPages: 64))
        {
            // The log restarts after the block that takes it past 64 pages, so it never holds much more than that.
            var pagesPerBlock = unrestarted / 60;
            Assert.InRange(LogPagesAfterSixtyBlocks(every64), 1, 64 + 2 * pagesPerBlock);
            Assert.True(unrestarted > 64 + 2 * pagesPerBlock, $"With the default interval all sixty blocks stay in the log ({unrestarted} pages).");
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => LedgerStore.Open(Path.Combine(Path.GetTempPath(), "never.db"), checkpointPages: 0));
    }

    [Fact]
    public void A_block_that_fails_to_commit_leaves_nothing_behind()
    {
        using var chain = TestChain.OnDisk();
        var tx = chain.Anchor();
        var block = chain.Commit(tx);
        var before = chain.Store.ReadState().Count();
        // Committing the same transaction again at its log index violates the primary key half-way through: all or nothing.
        var again = new BlockCommit
        {
            Block = block with { SignedHeader = block.SignedHeader with { Header = new Core.Ledger.BlockHeader(block.Header.Chain, 2, block.Header.Hash, block.Header.Timestamp, 1, block.Header.TransactionRoot, 2, block.Header.LogRoot, block.Header.StateDigest, block.Header.StateSet, block.Header.Proposer) } },
            FirstLogIndex = 0,
            EncodedResults = block.Results.Select(Core.Ledger.TransactionResultCodec.Encode).ToList(),
            MerkleNodes = [],
            StateWrites = [new StateWrite("partial/write", [1])],
        };
        Assert.Throws<SqliteException>(() => chain.Store.Commit(again));
        Assert.Equal(1, chain.Store.GetHead()!.Header.Height);
        Assert.Null(chain.Store.GetState("partial/write"));
        Assert.Equal(before, chain.Store.ReadState().Count());
        Assert.Null(chain.Store.GetBlock(2));
    }

    [Fact]
    public void A_store_written_with_another_schema_version_is_refused_by_name()
    {
        using var chain = TestChain.OnDisk();
        chain.Commit(chain.Anchor());
        Tamper.Execute(chain.DatabasePath, "PRAGMA user_version = 2;");
        var refused = Assert.Throws<NotSupportedException>(() => LedgerStore.Open(chain.DatabasePath));
        Assert.Contains("schema version 2", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_transaction_is_found_by_its_whole_id_among_ids_that_share_the_index_key()
    {
        using var chain = TestChain.OnDisk();
        var tx = chain.Anchor();
        chain.Commit(tx);
        var original = chain.Store.GetTransaction(tx.Id)!.LogIndex;
        // A second row whose id shares the first 8 bytes (what an attacker could grind for) must not be confused with it.
        var twin = tx.Id.Span.ToArray();
        twin[^1] ^= 0xFF;
        Assert.Null(chain.Store.GetTransaction(Core.Crypto.Hash.FromBytes(twin)));
        Tamper.Execute(chain.DatabasePath, $"""
            INSERT INTO transactions(log_index, id, id_key, height, signer, nonce, not_after, status, raw, result)
            SELECT 99, X'{Convert.ToHexString(twin)}', id_key, height, signer, nonce, not_after, status, raw, result
            FROM transactions WHERE log_index = {original}
            """);
        Assert.Equal(99, chain.Store.GetTransaction(Core.Crypto.Hash.FromBytes(twin))!.LogIndex);
        Assert.Equal(original, chain.Store.GetTransaction(tx.Id)!.LogIndex);
    }

    [Fact]
    public void An_engine_whose_commit_fails_keeps_serving_the_last_good_head()
    {
        using var chain = TestChain.OnDisk();
        chain.Commit(chain.Anchor());
        var head = chain.Engine.Head.Header;
        Tamper.Execute(chain.DatabasePath, "CREATE TRIGGER refuse BEFORE INSERT ON blocks BEGIN SELECT RAISE(ABORT, 'disk says no'); END;");
        Assert.Throws<SqliteException>(() => chain.Commit(chain.Anchor()));
        Assert.Equal(head.Hash, chain.Engine.Head.Header.Hash);
        Tamper.Execute(chain.DatabasePath, "DROP TRIGGER refuse;");
        var next = chain.Commit(chain.Anchor());
        Assert.Equal(head.Hash, next.Header.PreviousHash);
        Assert.Equal(2, next.Header.LogSize);
        Assert.Null(chain.Engine.GetReceipt(next.Transactions[0].Id)!.Verify(chain.Validators));
    }

    [Fact]
    public void The_in_memory_store_behaves_like_the_file_store()
    {
        using var chain = TestChain.InMemory();
        var tx = chain.Anchor();
        chain.Commit(tx);
        Assert.Equal(tx.Id, chain.Store.GetBlock(1)!.Transactions[0].Id);
        Assert.Equal(1, chain.Store.GetHeightByHash(chain.Engine.Head.Header.Hash));
        Assert.Single(chain.Store.ScanState("notary/", 10));
    }

    [Fact]
    public void State_keys_never_written_are_answered_by_the_key_filter_and_reopening_rebuilds_it_from_the_table()
    {
        using var chain = TestChain.OnDisk();
        var tx = chain.Anchor();
        chain.Commit(tx);
        var anchored = CareLedger.Contracts.Notary.NotaryContract.AnchorKey(tx.Args.GetString("hash"));
        WaitForKeyFilter(chain.Store);
        Assert.NotNull(chain.Store.GetState(anchored));
        Assert.Null(chain.Store.GetState("notary/never-written"));

        // A row put in behind the open store's back is not seen: the filter knows the keys the store found when it
        // opened and those it wrote since, which shows lookups of absent keys stop at the filter.
        Tamper.Execute(chain.DatabasePath, "INSERT INTO state(key, value, height) VALUES ('outside/key', X'01', 1);");
        Assert.Null(chain.Store.GetState("outside/key"));

        using var reopened = LedgerStore.Open(chain.DatabasePath);
        WaitForKeyFilter(reopened);
        Assert.Equal([1], reopened.GetState("outside/key"));
        Assert.NotNull(reopened.GetState(anchored));
        Assert.Null(reopened.GetState("notary/never-written"));
    }

    private static void WaitForKeyFilter(LedgerStore store) =>
        Assert.True(store.WaitForStateKeyFilter(TimeSpan.FromSeconds(10)), "The store's key filter scan did not finish within 10 s.");
}
