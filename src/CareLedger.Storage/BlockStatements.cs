using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CareLedger.Storage;

/// <summary>
/// The row inserts of a block as SQLite statements prepared once for the writer connection and bound by
/// position through SQLitePCL's raw API. A block writes thousands of rows; binding by name (what
/// <see cref="SqliteCommand"/> does on every execution) and a parameter object per value cost more than
/// the inserts themselves.
/// </summary>
internal sealed class BlockStatements : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _transaction;
    private readonly sqlite3_stmt _merkleNode;
    private readonly sqlite3_stmt _upsertState;
    private readonly sqlite3_stmt _deleteState;

    public BlockStatements(SqliteConnection connection)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The writer connection is not open.");
        _transaction = Prepare("""
            INSERT INTO transactions(log_index, id, id_key, height, signer, nonce, not_after, status, raw, result)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            """);
        _merkleNode = Prepare("INSERT INTO merkle_nodes(level, idx, hash) VALUES (?1, ?2, ?3)");
        _upsertState = Prepare("""
            INSERT INTO state(key, value, height) VALUES (?1, ?2, ?3)
            ON CONFLICT(key) DO UPDATE SET value = excluded.value, height = excluded.height
            """);
        _deleteState = Prepare("DELETE FROM state WHERE key = ?1");
    }

    public void InsertTransaction(long logIndex, ReadOnlySpan<byte> id, long height, ReadOnlySpan<byte> signer, ulong nonce, long notAfter,
        int status, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> result)
    {
        Check(SQLitePCL.raw.sqlite3_bind_int64(_transaction, 1, logIndex));
        BindBlob(_transaction, 2, id);
        Check(SQLitePCL.raw.sqlite3_bind_int64(_transaction, 3, StoreSchema.IdKey(id)));
        Check(SQLitePCL.raw.sqlite3_bind_int64(_transaction, 4, height));
        BindBlob(_transaction, 5, signer);
        Check(SQLitePCL.raw.sqlite3_bind_int64(_transaction, 6, unchecked((long)nonce)));
        Check(SQLitePCL.raw.sqlite3_bind_int64(_transaction, 7, notAfter));
        Check(SQLitePCL.raw.sqlite3_bind_int(_transaction, 8, status));
        BindBlob(_transaction, 9, raw);
        BindBlob(_transaction, 10, result);
        Step(_transaction);
    }

    public void InsertMerkleNode(int level, long index, ReadOnlySpan<byte> hash)
    {
        Check(SQLitePCL.raw.sqlite3_bind_int(_merkleNode, 1, level));
        Check(SQLitePCL.raw.sqlite3_bind_int64(_merkleNode, 2, index));
        BindBlob(_merkleNode, 3, hash);
        Step(_merkleNode);
    }

    public void PutState(string key, ReadOnlySpan<byte> value, long height)
    {
        Check(SQLitePCL.raw.sqlite3_bind_text(_upsertState, 1, key));
        BindBlob(_upsertState, 2, value);
        Check(SQLitePCL.raw.sqlite3_bind_int64(_upsertState, 3, height));
        Step(_upsertState);
    }

    public void DeleteState(string key)
    {
        Check(SQLitePCL.raw.sqlite3_bind_text(_deleteState, 1, key));
        Step(_deleteState);
    }

    // A zero-length span would bind SQL NULL; an empty value is a zero-length blob.
    private void BindBlob(sqlite3_stmt statement, int index, ReadOnlySpan<byte> value) =>
        Check(value.IsEmpty ? SQLitePCL.raw.sqlite3_bind_zeroblob(statement, index, 0) : SQLitePCL.raw.sqlite3_bind_blob(statement, index, value));

    private sqlite3_stmt Prepare(string sql)
    {
        Check(SQLitePCL.raw.sqlite3_prepare_v2(_db, sql, out var statement));
        return statement;
    }

    // The statement is reset whatever happened, so a failed block leaves nothing half-bound for the next.
    private void Step(sqlite3_stmt statement)
    {
        var rc = SQLitePCL.raw.sqlite3_step(statement);
        SQLitePCL.raw.sqlite3_reset(statement);
        if (rc != SQLitePCL.raw.SQLITE_DONE)
        {
            throw Failure(rc);
        }
    }

    private void Check(int rc)
    {
        if (rc != SQLitePCL.raw.SQLITE_OK)
        {
            throw Failure(rc);
        }
    }

    private SqliteException Failure(int rc) => new($"SQLite error {rc}: {SQLitePCL.raw.sqlite3_errmsg(_db).utf8_to_string()}", rc);

    public void Dispose()
    {
        _transaction.Dispose();
        _merkleNode.Dispose();
        _upsertState.Dispose();
        _deleteState.Dispose();
    }
}
