using CareLedger.Ledger.Audit;
using CareLedger.Storage;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace CareLedger.Ledger.Tests.Audit;

/// <summary>
/// Single-byte flips in copies of a store file, going round every kind of page and aimed at the bytes a page uses. A flip is in live data when SQLite then returns
/// anything different (any row of any table, any index entry, the integrity check's answer) or cannot read the file;
/// otherwise it hit unused space (free bytes in a page, a free page) and may pass. Every flip in live data must be found.
/// </summary>
[Collection("disk")]
public class StoreFlipTests(ITestOutputHelper output)
{
    private const int Flips = 200;

    [Fact]
    public void Every_flip_in_live_data_is_found_and_none_crashes_the_audit()
    {
        // Large enough that the transactions, their id index, the Merkle nodes and the state have interior pages.
        using var chain = StoreTamperTests.Chain(blocks: 25, transactionsPerBlock: 12);
        Tamper.Execute(chain.DatabasePath, "PRAGMA wal_checkpoint(TRUNCATE)");
        var pristine = File.ReadAllBytes(chain.DatabasePath);
        var expected = Tamper.Fingerprint(chain.DatabasePath);
        const int pageSize = 4096;
        var pages = pristine.Length / pageSize;
        var pageOwners = Tamper.PageOwners(chain.DatabasePath);
        // Flips go round the kinds of page (each table's and index's leaves and interior pages, free pages), so the rare
        // kinds (an index's one interior page) are hit as often as the common ones.
        var kinds = Enumerable.Range(1, pages).GroupBy(p => pageOwners.GetValueOrDefault(p, "(free)")).OrderBy(g => g.Key).ToList();
        var random = new Random(18);
        var copy = Path.Combine(chain.Directory!, "flipped.db");
        var (live, unused, unusedFound) = (0, 0, 0);
        var touched = new HashSet<string>();
        for (var i = 0; i < Flips; i++)
        {
            var kind = kinds[i % kinds.Count];
            var page = kind.ElementAt(random.Next(kind.Count())) - 1;
            var offset = Tamper.UsedByteOf(pristine, pageSize, page + 1, kind.Key != "(free)", random);
            var bytes = (byte[])pristine.Clone();
            bytes[offset] ^= (byte)(1 << random.Next(8));
            SqliteConnection.ClearAllPools();
            File.WriteAllBytes(copy, bytes);
            var isLive = Tamper.Fingerprint(copy) != expected;
            var failure = Audit(chain, copy);
            if (isLive)
            {
                live++;
                touched.Add(kind.Key);
                Assert.True(failure is not null, $"flip {i} at byte {offset} (page {page + 1}, {pageOwners.GetValueOrDefault(page + 1)}) changed live data and the audit passed");
                Assert.True(failure.Height >= 0 || failure.Table is not null, $"flip {i}: the finding names neither a height nor a table: {failure}");
            }
            else
            {
                unused++;
                unusedFound += failure is null ? 0 : 1;
            }
        }
        output.WriteLine($"{Flips} flips over {pages} pages of {kinds.Count} kinds: {live} in live data, all found; {unused} in unused space ({unusedFound} of them reported anyway)");
        output.WriteLine("live flips landed in: " + string.Join(", ", touched.Order()));
        foreach (var tree in new[] { "transactions", "transactions_by_id_key", "merkle_nodes", "state" })
        {
            Assert.Contains($"{tree} interior", touched);
        }
        Assert.True(live >= Flips * 3 / 4, "too few flips reached live data for the test to mean anything");
    }

    private static AuditFailure? Audit(Testing.TestChain chain, string path)
    {
        LedgerStore store;
        try
        {
            store = LedgerStore.Open(path);
        }
        catch (SqliteException ex)
        {
            // What verify reports as "SQLite cannot open the store".
            return new AuditFailure(-1, ex.Message) { Table = "(file)" };
        }
        using (store)
        {
            return new StoreAuditor(chain.Genesis, chain.Auditor()).Audit(store).Failure;
        }
    }
}
