using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Core.Merkle;
using Microsoft.Data.Sqlite;

namespace CareLedger.Storage;

/// <summary>
/// The ledger's SQLite store (docs/storage-layout.md). One SQL transaction per block, WAL journal,
/// <c>synchronous=FULL</c>: a block acknowledged as committed survives a crash. Reads run on their
/// own pooled connections and see the last committed block. <see cref="OpenInMemory"/> gives the same
/// store on a private in-memory database for tests (one connection, serialised).
/// </summary>
public sealed partial class LedgerStore : IMerkleNodeStore, IDisposable
{
    private readonly string? _readConnectionString;
    private readonly SqliteConnection _writer;
    private readonly Lock _memoryGate = new();
    private readonly ThreadLocal<SqliteCommand> _stateLookups;
    private readonly BlockStatements _blockStatements;
    private readonly StateKeyFilter _stateKeys = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _stateKeyScan;
    private int _disposed;

    private LedgerStore(SqliteConnection writer, string? readConnectionString)
    {
        _writer = writer;
        _readConnectionString = readConnectionString;
        _stateLookups = new ThreadLocal<SqliteCommand>(PrepareStateLookup, trackAllValues: true);
        StoreSchema.CreateOrCheck(writer);
        _blockStatements = new BlockStatements(writer);
        // A file store fills the key filter in the background, so opening a large store is not held up by it; until
        // the scan ends every look-up goes to SQLite. The in-memory store (tests) is small: it is filled here.
        if (readConnectionString is null)
        {
            FillStateKeyFilter(CancellationToken.None);
            _stateKeyScan = Task.CompletedTask;
        }
        else
        {
            _stateKeyScan = Task.Run(() => FillStateKeyFilter(_closing.Token));
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the opening scan; true once it has put every state key into the filter
    /// (look-ups of absent keys stop there from then on).
    /// </summary>
    internal bool WaitForStateKeyFilter(TimeSpan timeout) => _stateKeyScan.Wait(timeout) && _stateKeys.IsComplete;

    // Blocks that commit during the scan add their keys themselves, so the keys of the scan's snapshot and theirs are
    // all of them. A failed or cancelled scan leaves the filter incomplete: every look-up then goes to SQLite.
    private void FillStateKeyFilter(CancellationToken cancel)
    {
        try
        {
            var scanned = Read(c =>
            {
                using var cmd = Command(c, "SELECT key FROM state");
                using var r = cmd.ExecuteReader();
                while (!cancel.IsCancellationRequested && r.Read())
                {
                    _stateKeys.Add(r.GetString(0));
                }
                return !cancel.IsCancellationRequested;
            });
            if (scanned)
            {
                _stateKeys.MarkComplete();
            }
        }
        catch (Exception ex) when (ex is SqliteException or InvalidCastException)
        {
            // Left incomplete on purpose (see above); a damaged state table is reported by the checks that read it.
        }
    }

    /// <summary>Pages of log between two checkpoints unless the caller says otherwise: 1 GiB of 4 KiB pages.</summary>
    public const int DefaultCheckpointPages = 262_144;

    /// <summary>
    /// Opens (creating if needed) the store at <paramref name="path"/>, checkpointing its write-ahead log every
    /// <paramref name="checkpointPages"/> pages.
    /// </summary>
    public static LedgerStore Open(string path, int checkpointPages = DefaultCheckpointPages)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(checkpointPages, 1);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, Mode = SqliteOpenMode.ReadWriteCreate };
        var writer = new SqliteConnection(builder.ToString());
        writer.Open();
        // A block's random-key inserts (transaction ids, state keys) dirty a few thousand pages each, and a checkpoint
        // writes every distinct page of the log back into the database file, at random places in it. Checkpointing every
        // 262,144 pages (1 GiB of log) instead of SQLite's 1,000 writes a page that many blocks dirtied once, not once per
        // block. On a large ledger those scattered writes are what the disk runs out of first: from 1 M transactions,
        // `careledger bench` commits 12,041 tx/s on average at 65,536 pages and 12,737 at 262,144 (docs/performance.md,
        // session 8). The price is a longer stall at each checkpoint, and the log is disk, not memory.
        Execute(writer, $"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint={checkpointPages};");
        builder.Mode = SqliteOpenMode.ReadOnly;
        return new LedgerStore(writer, builder.ToString());
    }

    /// <summary>
    /// Copies the database as of one committed block into a new file at <paramref name="destinationPath"/> with SQLite's online
    /// backup API, from a read-only connection of its own: blocks go on committing meanwhile (the copy reads one snapshot of the
    /// write-ahead log). Returns the height of the copy's head.
    /// </summary>
    public long BackupTo(string destinationPath)
    {
        if (_readConnectionString is null)
        {
            throw new InvalidOperationException("An in-memory store has no file to back up.");
        }
        using (var source = new SqliteConnection(_readConnectionString))
        using (var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destinationPath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString()))
        {
            source.Open();
            destination.Open();
            source.BackupDatabase(destination);
            using var height = destination.CreateCommand();
            height.CommandText = "SELECT MAX(height) FROM blocks";
            return height.ExecuteScalar() is long h ? h : throw new StoreCorruptedException("The backup holds no block.");
        }
    }

    /// <summary>A store on a private in-memory database.</summary>
    public static LedgerStore OpenInMemory()
    {
        var writer = new SqliteConnection("Data Source=:memory:");
        writer.Open();
        return new LedgerStore(writer, null);
    }

    /// <summary>Reads a meta value (genesis document, chain id), or null.</summary>
    public byte[]? GetMeta(string key) => Read(c =>
    {
        using var cmd = Command(c, "SELECT value FROM meta WHERE key = $k", ("$k", key));
        return cmd.ExecuteScalar() as byte[];
    });

    /// <summary>Writes a meta value.</summary>
    public void PutMeta(string key, byte[] value) => Write(() =>
    {
        using var cmd = Command(_writer, "INSERT OR REPLACE INTO meta(key, value) VALUES ($k, $v)", ("$k", key), ("$v", value));
        cmd.ExecuteNonQuery();
    });

    /// <summary>The signed header of the highest block, or null for an empty store.</summary>
    public SignedBlockHeader? GetHead() => Read(c =>
    {
        using var cmd = Command(c, "SELECT height, header FROM blocks ORDER BY height DESC LIMIT 1");
        using var r = cmd.ExecuteReader();
        return r.Read() ? DecodeHeader(r.GetInt64(0), Blob(r, 1, "block header")) : null;
    });

    /// <summary>The signed header at <paramref name="height"/>, or null.</summary>
    public SignedBlockHeader? GetHeader(long height) => Read(c =>
    {
        using var cmd = Command(c, "SELECT header FROM blocks WHERE height = $h", ("$h", height));
        return cmd.ExecuteScalar() is byte[] bytes ? DecodeHeader(height, bytes) : null;
    });

    /// <summary>The height of the block with this header hash, or null.</summary>
    public long? GetHeightByHash(Hash hash) => Read(c =>
    {
        using var cmd = Command(c, "SELECT height FROM blocks WHERE hash = $h", ("$h", hash.Span.ToArray()));
        return cmd.ExecuteScalar() is long height ? height : (long?)null;
    });

    /// <summary>The block at <paramref name="height"/> with its transactions and decoded results, or null.</summary>
    public Block? GetBlock(long height)
    {
        if (GetRecordedBlock(height) is not { } recorded)
        {
            return null;
        }
        var first = recorded.Header.LogSize - recorded.Header.TransactionCount;
        var results = recorded.Results.Select((bytes, i) => ParseResult(bytes, first + i, height)).ToList();
        return new Block(recorded.SignedHeader, recorded.Transactions, results);
    }

    /// <summary>The block at <paramref name="height"/> with its results as recorded (not decoded), or null.</summary>
    public RecordedBlock? GetRecordedBlock(long height) => GetStoredBlock(height)?.Block;

    /// <summary>Streams every block from <paramref name="fromHeight"/> upwards, in order, as recorded: what audits and exports read.</summary>
    public IEnumerable<RecordedBlock> ReadBlocks(long fromHeight = 0) => ReadStoredBlocks(fromHeight).Select(stored => stored.Block);

    /// <summary>A transaction with its result and log position, or null.</summary>
    public StoredTransaction? GetTransaction(Hash id) => Read(c =>
        ReadTransactions(c, "WHERE id_key = $key AND id = $id", ("$key", StoreSchema.IdKey(id.Span)), ("$id", id.Span.ToArray())).FirstOrDefault());

    /// <summary>
    /// The committed value of a state key, or null. State is read for every transaction and every access
    /// decision, so each thread keeps its own read connection with the statement prepared once.
    /// </summary>
    public byte[]? GetState(string key)
    {
        if (!_stateKeys.MayContain(key))
        {
            return null;
        }
        if (_readConnectionString is null)
        {
            return Read(c =>
            {
                using var cmd = Command(c, "SELECT value FROM state WHERE key = $k", ("$k", key));
                return AsStateValue(cmd.ExecuteScalar(), key);
            });
        }
        var lookup = _stateLookups.Value!;
        lookup.Parameters[0].Value = key;
        return AsStateValue(lookup.ExecuteScalar(), key);
    }

    private static byte[]? AsStateValue(object? value, string key) => value switch
    {
        null => null,
        byte[] bytes => bytes,
        _ => throw new StoreCorruptedException($"The state value of '{key}' is not a blob."),
    };

    private SqliteCommand PrepareStateLookup()
    {
        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        var cmd = Command(connection, "SELECT value FROM state WHERE key = $k");
        cmd.Parameters.Add("$k", SqliteType.Text);
        cmd.Prepare();
        return cmd;
    }

    /// <summary>Every state row in key order: (key, value, height that last wrote it), streamed.</summary>
    public IEnumerable<(string Key, byte[] Value, long Height)> ReadState()
    {
        if (_readConnectionString is null)
        {
            // The in-memory database has one connection: materialise under its lock.
            return Read(c => ReadStateRows(c).ToList());
        }
        return StreamState(_readConnectionString);
    }

    private static IEnumerable<(string Key, byte[] Value, long Height)> StreamState(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        foreach (var row in ReadStateRows(connection))
        {
            yield return row;
        }
    }

    private static IEnumerable<(string Key, byte[] Value, long Height)> ReadStateRows(SqliteConnection c)
    {
        using var cmd = Command(c, "SELECT key, value, height FROM state ORDER BY key");
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            yield return (r.GetString(0), Blob(r, 1, "state value"), r.GetInt64(2));
        }
    }

    /// <summary>Keys that start with <paramref name="prefix"/> (and come after <paramref name="after"/>, for paging), in order, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<(string Key, byte[] Value)> ScanState(string prefix, int limit, string? after = null) =>
        Scan("SELECT key, value FROM state WHERE key >= $p AND key > $after AND key < $end ORDER BY key LIMIT $n", prefix, limit, after ?? "");

    /// <summary>The last <paramref name="limit"/> keys that start with <paramref name="prefix"/>, last first (the newest of a numbered index).</summary>
    public IReadOnlyList<(string Key, byte[] Value)> ScanStateLatest(string prefix, int limit) =>
        Scan("SELECT key, value FROM state WHERE key >= $p AND key > $after AND key < $end ORDER BY key DESC LIMIT $n", prefix, limit, "");

    private IReadOnlyList<(string Key, byte[] Value)> Scan(string sql, string prefix, int limit, string after) => Read(c =>
    {
        using var cmd = Command(c, sql, ("$p", prefix), ("$after", after), ("$end", prefix + '\uffff'), ("$n", limit));
        using var r = cmd.ExecuteReader();
        var list = new List<(string, byte[])>();
        while (r.Read())
        {
            list.Add((r.GetString(0), Blob(r, 1, "state value")));
        }
        return (IReadOnlyList<(string, byte[])>)list;
    });

    /// <inheritdoc />
    public Hash GetNode(int level, long index) => Read(c =>
    {
        using var cmd = Command(c, "SELECT hash FROM merkle_nodes WHERE level = $l AND idx = $i", ("$l", level), ("$i", index));
        return cmd.ExecuteScalar() is byte[] bytes
            ? Hash.FromBytes(bytes)
            : throw new KeyNotFoundException($"No Merkle node at level {level}, index {index}.");
    });

    /// <summary>Writes a whole block atomically: header, transactions with results, Merkle nodes and state.</summary>
    public void Commit(BlockCommit commit) => Write(() =>
    {
        using var tx = _writer.BeginTransaction();
        InsertBlock(tx, commit);
        tx.Commit();
    });

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _closing.Cancel();
        _stateKeyScan.Wait();
        _closing.Dispose();
        foreach (var lookup in _stateLookups.Values)
        {
            var connection = lookup.Connection;
            lookup.Dispose();
            connection?.Dispose();
        }
        _stateLookups.Dispose();
        _blockStatements.Dispose();
        CheckpointLogIntoDatabase();
        _writer.Dispose();
        SqliteConnection.ClearAllPools();
    }

    // A clean close copies the log back into the database and empties it, so `ledger.db` alone then holds every committed
    // block (a copy of the file without its `-wal` is complete). Should a reader still be inside the log, or the copy fail,
    // the log stays and the next open reads it back, as after a crash.
    private void CheckpointLogIntoDatabase()
    {
        if (_readConnectionString is null)
        {
            return;
        }
        try
        {
            Execute(_writer, "PRAGMA wal_checkpoint(TRUNCATE)");
        }
        catch (SqliteException)
        {
            // Left to the next open (above).
        }
    }

    private static SignedBlockHeader DecodeHeader(long height, byte[] bytes)
    {
        try
        {
            return BlockHeaderCodec.ParseSigned(bytes);
        }
        catch (FormatException ex)
        {
            throw new StoreCorruptedException($"The header of block {height} cannot be decoded: {ex.Message}", ex);
        }
    }

    private static List<StoredTransaction> ReadTransactions(SqliteConnection c, string where, params (string, object)[] parameters)
    {
        using var cmd = Command(c, "SELECT log_index, height, raw, result FROM transactions " + where, parameters);
        using var r = cmd.ExecuteReader();
        var list = new List<StoredTransaction>();
        while (r.Read())
        {
            var (logIndex, height) = (r.GetInt64(0), r.GetInt64(1));
            list.Add(new StoredTransaction(ParseTransaction(Blob(r, 2, "transaction"), logIndex, height),
                ParseResult(Blob(r, 3, "result"), logIndex, height), logIndex));
        }
        return list;
    }

    private static Transaction ParseTransaction(byte[] raw, long logIndex, long height)
    {
        try
        {
            return TransactionCodec.Parse(raw);
        }
        catch (FormatException ex)
        {
            throw Undecodable(logIndex, height, ex);
        }
    }

    private static TransactionResult ParseResult(byte[] result, long logIndex, long height)
    {
        try
        {
            return TransactionResultCodec.Parse(result);
        }
        catch (FormatException ex)
        {
            throw Undecodable(logIndex, height, ex);
        }
    }

    private static StoreCorruptedException Undecodable(long logIndex, long height, FormatException ex) =>
        new($"Transaction at log index {logIndex} (block {height}) cannot be decoded: {ex.Message}", ex);

    // A value stored as anything but a blob was written behind the ledger's back.
    private static byte[] Blob(SqliteDataReader reader, int column, string what) =>
        reader.GetValue(column) as byte[] ?? throw new StoreCorruptedException($"A stored {what} is not a blob.");

    private T Read<T>(Func<SqliteConnection, T> query)
    {
        if (_readConnectionString is null)
        {
            lock (_memoryGate)
            {
                return query(_writer);
            }
        }
        using var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return query(connection);
    }

    private void Write(Action write)
    {
        lock (_memoryGate)
        {
            write();
        }
    }

    internal static SqliteCommand Command(SqliteConnection c, string sql, params (string Name, object Value)[] parameters)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }
        return cmd;
    }

    internal static void Execute(SqliteConnection c, string sql)
    {
        using var cmd = Command(c, sql);
        cmd.ExecuteNonQuery();
    }
}
