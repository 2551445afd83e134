using System.Buffers.Binary;
using Microsoft.Data.Sqlite;

namespace CareLedger.Storage;

/// <summary>The tables and indexes of docs/storage-layout.md.</summary>
internal static class StoreSchema
{
    public const int Version = 4;

    /// <summary>
    /// The key of a transaction id in the <c>transactions_by_id_key</c> index: its first 8 bytes. An index of
    /// integers is a quarter the size of one of 32-byte ids, so it stays in the page cache where the id index,
    /// filled in random order, did not; a lookup compares the whole id of the few rows that share the key.
    /// </summary>
    public static long IdKey(ReadOnlySpan<byte> id) => BinaryPrimitives.ReadInt64BigEndian(id);

    /// <summary>Creates the tables of a new store; refuses a store written with another schema version.</summary>
    public static void CreateOrCheck(SqliteConnection c)
    {
        using (var version = LedgerStore.Command(c, "SELECT (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_schema)"))
        using (var r = version.ExecuteReader())
        {
            r.Read();
            var (found, tables) = (r.GetInt64(0), r.GetInt64(1));
            if (tables > 0 && found != Version)
            {
                throw new NotSupportedException(
                    $"the store has schema version {found} and this node reads version {Version} only (docs/storage-layout.md); start it on a new data directory.");
            }
        }
        Create(c);
    }

    private static void Create(SqliteConnection c)
    {
        LedgerStore.Execute(c, $"""
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS header_votes (
                height INTEGER NOT NULL,
                signer BLOB NOT NULL,
                header_hash BLOB NOT NULL,
                signature BLOB NOT NULL,
                PRIMARY KEY (height, signer)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS blocks (
                height INTEGER PRIMARY KEY,
                hash BLOB NOT NULL UNIQUE,
                timestamp INTEGER NOT NULL,
                first_log_index INTEGER NOT NULL,
                header BLOB NOT NULL);
            CREATE INDEX IF NOT EXISTS blocks_by_time ON blocks(timestamp);
            CREATE TABLE IF NOT EXISTS transactions (
                log_index INTEGER PRIMARY KEY,
                id BLOB NOT NULL,
                id_key INTEGER NOT NULL,
                height INTEGER NOT NULL,
                signer BLOB NOT NULL,
                nonce INTEGER NOT NULL,
                not_after INTEGER NOT NULL,
                status INTEGER NOT NULL,
                raw BLOB NOT NULL,
                result BLOB NOT NULL);
            CREATE INDEX IF NOT EXISTS transactions_by_id_key ON transactions(id_key);
            CREATE TABLE IF NOT EXISTS merkle_nodes (
                level INTEGER NOT NULL,
                idx INTEGER NOT NULL,
                hash BLOB NOT NULL,
                PRIMARY KEY (level, idx)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS state (
                key TEXT PRIMARY KEY,
                value BLOB NOT NULL,
                height INTEGER NOT NULL) WITHOUT ROWID;
            PRAGMA user_version = {Version};
            """);
    }
}
