using System.Globalization;
using System.Text.RegularExpressions;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Ledger.Execution;
using CareLedger.Storage;
using Microsoft.Data.Sqlite;

namespace CareLedger.Ledger.Audit;

/// <summary>
/// Audits everything a node reads from its store: SQLite's own integrity check of the file and its indexes first, then the
/// chain (<see cref="ChainAuditor"/>) with every derived column, id look-up and Merkle node compared block by block, then
/// what no block accounts for (rows past the head, Merkle nodes nothing appended, the genesis copy), and finally every
/// validator's header vote. A store SQLite cannot read is an invalid result with the reason, never an exception.
/// </summary>
/// <param name="genesis">The chain's genesis document: its validators sign headers and votes.</param>
/// <param name="chain">The chain audit to run over the stored blocks.</param>
/// <param name="laterValidators">The validator keys governance approved after the genesis, read from the audited state
/// (a vote by one of them is valid); none when null.</param>
public sealed partial class StoreAuditor(GenesisDocument genesis, ChainAuditor chain, Func<IStateReader, IEnumerable<PublicKey>>? laterValidators = null)
{
    /// <summary>Audits <paramref name="store"/>; the report's failure names a height, or a table and row.</summary>
    public AuditReport Audit(LedgerStore store, IProgress<long>? transactionsDone = null)
    {
        // SQLite's own check reads the whole file (8 s at 1.5 M transactions): it runs beside the chain audit, and its
        // finding, about the file itself, comes first.
        var integrity = Task.Run(() => IntegrityProblems(store));
        var report = AuditRows(store, transactionsDone);
        var problems = integrity.GetAwaiter().GetResult();
        return problems.Count > 0 ? Failed(IntegrityFailure(store, problems)) : report;
    }

    private static IReadOnlyList<string> IntegrityProblems(LedgerStore store)
    {
        try
        {
            return store.IntegrityProblems();
        }
        catch (SqliteException ex)
        {
            return [ex.Message];
        }
    }

    private AuditReport AuditRows(LedgerStore store, IProgress<long>? transactionsDone)
    {
        try
        {
            if (store.SchemaDifference() is { } schema)
            {
                return Failed(new AuditFailure(-1, $"the store's schema is not the one this version writes: {schema}") { Table = "sqlite_schema" });
            }
            if (store.GetMeta("genesis") is not { } stored || !stored.AsSpan().SequenceEqual(genesis.Encode()))
            {
                return Failed(new AuditFailure(0, "the store's copy of the genesis document differs from genesis.cbor") { Table = "meta", Row = "genesis" });
            }
            using var nodes = store.OpenMerkleNodeCursors();
            var check = new StoredRowsCheck(store, nodes);
            var report = chain.Audit(Blocks(store, check), store.ReadState(), transactionsDone, check);
            if (!report.Passed)
            {
                return report;
            }
            return (check.Leftover(report) ?? BadVote(store)) is { } failure ? report with { Failure = failure } : report;
        }
        catch (Exception ex) when (ex.GetBaseException() is SqliteException or StoreCorruptedException or InvalidCastException or FormatException)
        {
            // A block that cannot be read is reported by the chain audit at its height; this is what is left: the file itself
            // (read on several threads, hence the base exception).
            return Failed(new AuditFailure(-1, $"SQLite cannot read the store: {ex.GetBaseException().Message}") { Table = "(file)" });
        }
    }

    // A vote certifies a header (and names a validator faulty when it is for another one): each must be signed by a
    // validator's key. Votes for a header other than the stored one are evidence against their signer, not damage.
    private AuditFailure? BadVote(LedgerStore store)
    {
        var keys = new Dictionary<KeyId, PublicKey>(genesis.ValidatorKeys());
        foreach (var key in laterValidators?.Invoke(new StoreStateReader(store)) ?? [])
        {
            keys[key.Id] = key;
        }
        var gate = new Lock();
        AuditFailure? lowest = null;
        Parallel.ForEach(store.ReadHeaderVotes(), vote =>
        {
            var signer = vote.Signature.Signer;
            var problem = !keys.TryGetValue(signer, out var key) ? "is signed by a key that is no validator"
                : !key.Verify(vote.HeaderHash.Span, vote.Signature.Signature.Span) ? "has a signature that does not verify"
                : null;
            if (problem is null)
            {
                return;
            }
            lock (gate)
            {
                if (lowest is null || vote.Height < lowest.Height)
                {
                    lowest = new AuditFailure(vote.Height, $"the header vote of {signer} at height {vote.Height} {problem}")
                    {
                        Table = "header_votes",
                        Row = $"{vote.Height}/{signer}",
                    };
                }
            }
        });
        return lowest;
    }

    private static AuditReport Failed(AuditFailure failure) => new(0, 0, 0, failure);

    private static IEnumerable<RecordedBlock> Blocks(LedgerStore store, StoredRowsCheck check)
    {
        foreach (var block in ReadAhead.Of(store.ReadStoredBlocks(), ahead: 4))
        {
            check.Current = block;
            yield return block.Block;
        }
    }

    // SQLite names rows of the transactions table by log index (its rowid): the block that holds one is a height.
    private static AuditFailure IntegrityFailure(LedgerStore store, IReadOnlyList<string> problems)
    {
        var reason = "SQLite's integrity check fails: " + string.Join("; ", problems);
        var missing = MissingFromIndex().Match(problems[0]);
        if (!missing.Success)
        {
            return new AuditFailure(-1, reason) { Table = TableNamedIn(store, problems[0]) };
        }
        var (row, index) = (long.Parse(missing.Groups[1].Value, CultureInfo.InvariantCulture), missing.Groups[2].Value);
        var height = index.StartsWith("transactions", StringComparison.Ordinal) ? HeightOfLogIndex(store, row) : -1;
        return new AuditFailure(height, reason) { Table = index, Row = row.ToString(CultureInfo.InvariantCulture) };
    }

    // SQLite names an index or table, or a b-tree by its root page ("Tree 7 page 12 …"); otherwise the finding is the file's.
    private static string TableNamedIn(LedgerStore store, string problem)
    {
        if (TableIn().Match(problem) is { Success: true } named)
        {
            return named.Groups[1].Value;
        }
        if (TreeIn().Match(problem) is { Success: true } tree)
        {
            try
            {
                return store.GetTableOfRootPage(long.Parse(tree.Groups[1].Value, CultureInfo.InvariantCulture)) ?? "(file)";
            }
            catch (SqliteException)
            {
                return "(file)";
            }
        }
        return "(file)";
    }

    private static long HeightOfLogIndex(LedgerStore store, long logIndex)
    {
        try
        {
            return store.GetHeightOfLogIndex(logIndex) ?? -1;
        }
        catch (Exception ex) when (ex is SqliteException or StoreCorruptedException)
        {
            return -1;
        }
    }

    [GeneratedRegex(@"row (\d+) missing from index (\w+)")]
    private static partial Regex MissingFromIndex();

    [GeneratedRegex(@"(?:index|table) (\w+)")]
    private static partial Regex TableIn();

    [GeneratedRegex(@"Tree (\d+) page")]
    private static partial Regex TreeIn();
}
