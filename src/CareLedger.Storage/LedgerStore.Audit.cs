using CareLedger.Core.Crypto;
using Microsoft.Data.Sqlite;

namespace CareLedger.Storage;

/// <summary>Blocks with their derived columns, and what an audit reads besides: Merkle nodes level by level, row counts, the schema and SQLite's own check.</summary>
public sealed partial class LedgerStore
{
    /// <summary>
    /// SQLite's <c>PRAGMA integrity_check</c>: the file's pages, every index against its table, the constraints.
    /// Empty when the file is sound, else SQLite's findings (at most <paramref name="limit"/>).
    /// </summary>
    public IReadOnlyList<string> IntegrityProblems(int limit = 10) => Read(c =>
    {
        using var cmd = Command(c, $"PRAGMA integrity_check({limit})");
        using var r = cmd.ExecuteReader();
        var found = new List<string>();
        while (r.Read())
        {
            found.Add(r.GetValue(0)?.ToString() ?? "");
        }
        return (IReadOnlyList<string>)(found is ["ok"] ? [] : found);
    });

    /// <summary>
    /// The first entry of the store's schema (table, index and their SQL) that differs from the schema this version
    /// creates, or null. An edit there can leave SQLite content (a changed type name, a dropped constraint).
    /// </summary>
    public string? SchemaDifference()
    {
        const string sql = "SELECT type || ' ' || name || ' on ' || tbl_name || ': ' || coalesce(sql, '') FROM sqlite_schema ORDER BY name";
        var found = Read(c => Strings(c, sql));
        using var fresh = OpenInMemory();
        var expected = fresh.Read(c => Strings(c, sql));
        return found.Except(expected).Concat(expected.Except(found)).FirstOrDefault();
    }

    private static List<string> Strings(SqliteConnection c, string sql)
    {
        using var cmd = Command(c, sql);
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            list.Add(r.GetValue(0)?.ToString() ?? "");
        }
        return list;
    }

    /// <summary>Streams every block from <paramref name="fromHeight"/> upwards, with the columns derived from it.</summary>
    public IEnumerable<StoredBlock> ReadStoredBlocks(long fromHeight = 0)
    {
        var head = GetHead()?.Header.Height ?? -1;
        for (var h = fromHeight; h <= head; h++)
        {
            StoredBlock? block;
            try
            {
                block = GetStoredBlock(h);
            }
            catch (SqliteException ex)
            {
                // A damaged page under this block's rows: the finding is at this height.
                throw new StoreCorruptedException($"Block {h} cannot be read: {ex.Message}", ex) { Table = "(file)" };
            }
            yield return block ?? throw new StoreCorruptedException($"Block {h} is missing below the head {head}.");
        }
    }

    /// <summary>
    /// The block at <paramref name="height"/> with its derived columns, or null: the one read of a block's rows (a block's
    /// transactions are the log entries just below its log size, so no index on height is needed).
    /// </summary>
    public StoredBlock? GetStoredBlock(long height) => Read(c =>
    {
        using var cmd = Command(c, "SELECT hash, timestamp, first_log_index, header FROM blocks WHERE height = $h", ("$h", height));
        using var b = cmd.ExecuteReader();
        if (!b.Read())
        {
            return null;
        }
        var header = DecodeHeader(height, Blob(b, 3, "block header"));
        var row = new BlockRow(height, Blob(b, 0, "block hash"), Integer(b, 1, "block timestamp"), Integer(b, 2, "block first log index"));
        using var rows = Command(c, """
            SELECT log_index, id, id_key, height, signer, nonce, not_after, status, raw, result FROM transactions
            WHERE log_index >= $first AND log_index < $end ORDER BY log_index
            """, ("$first", header.Header.LogSize - header.Header.TransactionCount), ("$end", header.Header.LogSize));
        using var r = rows.ExecuteReader();
        var count = header.Header.TransactionCount;
        var transactions = new List<Core.Ledger.Transaction>(count);
        var results = new List<byte[]>(count);
        var columns = new List<TransactionRow>(count);
        while (r.Read())
        {
            var logIndex = Integer(r, 0, "log index");
            try
            {
                columns.Add(new TransactionRow(logIndex, Blob(r, 1, "transaction id"), Integer(r, 2, "id key"), Integer(r, 3, "transaction height"),
                    Blob(r, 4, "signer"), Integer(r, 5, "nonce"), Integer(r, 6, "not-after"), Integer(r, 7, "status")));
                transactions.Add(ParseTransaction(Blob(r, 8, "transaction"), logIndex, height));
                results.Add(Blob(r, 9, "result"));
            }
            catch (StoreCorruptedException ex)
            {
                throw new StoreCorruptedException($"Block {height}: {ex.Message}", ex) { Table = "transactions", Row = logIndex.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            }
        }
        return new StoredBlock(new Core.Ledger.RecordedBlock(header, transactions, results), row, columns);
    });

    /// <summary>The height of the block whose rows include <paramref name="logIndex"/>, by the blocks' stored first log index.</summary>
    public long? GetHeightOfLogIndex(long logIndex) => Read(c =>
    {
        using var cmd = Command(c, "SELECT height FROM blocks WHERE first_log_index <= $i ORDER BY first_log_index DESC LIMIT 1", ("$i", logIndex));
        return cmd.ExecuteScalar() is long height ? height : (long?)null;
    });

    /// <summary>The stored leaf hashes (level-0 Merkle nodes) from <paramref name="first"/> up to <paramref name="end"/>, in order.</summary>
    public IReadOnlyList<Hash> GetLeafHashes(long first, long end) => Read(c =>
    {
        using var cmd = Command(c, "SELECT hash FROM merkle_nodes WHERE level = 0 AND idx >= $a AND idx < $b ORDER BY idx", ("$a", first), ("$b", end));
        using var r = cmd.ExecuteReader();
        var leaves = new List<Hash>();
        while (r.Read())
        {
            leaves.Add(Hash.FromBytes(Blob(r, 0, "Merkle node")));
        }
        return (IReadOnlyList<Hash>)leaves;
    });

    /// <summary>The table or index whose b-tree starts at <paramref name="rootPage"/>, or null.</summary>
    public string? GetTableOfRootPage(long rootPage) => Read(c =>
    {
        using var cmd = Command(c, "SELECT name FROM sqlite_schema WHERE rootpage = $p", ("$p", rootPage));
        return cmd.ExecuteScalar() as string;
    });

    /// <summary>The <c>id_key</c> column a transaction id must have.</summary>
    public static long IdKeyOf(Hash id) => StoreSchema.IdKey(id.Span);

    /// <summary>(level, index) of a stored Merkle node above <paramref name="level"/>, or null.</summary>
    public (long Level, long Index)? FirstMerkleNodeAbove(int level) => Read(c =>
    {
        using var cmd = Command(c, "SELECT level, idx FROM merkle_nodes WHERE level > $l ORDER BY level, idx LIMIT 1", ("$l", level));
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetInt64(0), r.GetInt64(1)) : ((long, long)?)null;
    });

    /// <summary>(rows, lowest key, highest key) of each table that must hold exactly what the chain implies.</summary>
    public (long Blocks, long MinHeight, long Transactions, long MinLogIndex, long MaxLogIndex) RowCounts() => Read(c =>
    {
        using var cmd = Command(c, """
            SELECT (SELECT count(*) FROM blocks), (SELECT coalesce(min(height), 0) FROM blocks),
                   (SELECT count(*) FROM transactions), (SELECT coalesce(min(log_index), 0) FROM transactions),
                   (SELECT coalesce(max(log_index), -1) FROM transactions)
            """);
        using var r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4));
    });

    /// <summary>
    /// The stored Merkle nodes, one cursor per level in index order: an audit that appends the leaves again meets each
    /// level's nodes in exactly that order, so it compares all of them in one pass over each level.
    /// </summary>
    public MerkleNodeCursors OpenMerkleNodeCursors() => new(_readConnectionString, this);

    /// <summary>Reads the nodes of one level in index order; see <see cref="OpenMerkleNodeCursors"/>.</summary>
    public sealed class MerkleNodeCursors : IDisposable
    {
        private readonly string? _connectionString;
        private readonly LedgerStore _store;
        private readonly List<(SqliteConnection? Connection, SqliteCommand Command, SqliteDataReader Reader)> _levels = [];

        internal MerkleNodeCursors(string? connectionString, LedgerStore store) => (_connectionString, _store) = (connectionString, store);

        /// <summary>The next stored node of <paramref name="level"/> (index, hash), or null when the level has no more.</summary>
        public (long Index, byte[] Hash)? Next(int level)
        {
            while (_levels.Count <= level)
            {
                var connection = _connectionString is null ? null : new SqliteConnection(_connectionString);
                connection?.Open();
                var cmd = Command(connection ?? _store._writer, "SELECT idx, hash FROM merkle_nodes WHERE level = $l ORDER BY idx", ("$l", _levels.Count));
                _levels.Add((connection, cmd, cmd.ExecuteReader()));
            }
            var r = _levels[level].Reader;
            return r.Read() ? (Integer(r, 0, "Merkle node index"), Blob(r, 1, "Merkle node")) : null;
        }

        public void Dispose()
        {
            foreach (var (connection, command, reader) in _levels)
            {
                reader.Dispose();
                command.Dispose();
                connection?.Dispose();
            }
        }
    }

    // An integer column stored as anything else was written behind the ledger's back (SQLite would convert it silently).
    private static long Integer(SqliteDataReader reader, int column, string what) =>
        reader.GetValue(column) is long value ? value : throw new StoreCorruptedException($"A stored {what} is not an integer.");
}
