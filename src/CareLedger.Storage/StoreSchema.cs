using Microsoft.Data.Sqlite;

namespace CareLedger.Storage;

/// <summary>The tables and indexes of docs/storage-layout.md.</summary>
internal static class StoreSchema
{
    public const int Version = 2;

    public static void Create(SqliteConnection c)
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
                id BLOB NOT NULL UNIQUE,
                height INTEGER NOT NULL,
                idx INTEGER NOT NULL,
                signer BLOB NOT NULL,
                nonce INTEGER NOT NULL,
                not_after INTEGER NOT NULL,
                type TEXT NOT NULL,
                status INTEGER NOT NULL,
                raw BLOB NOT NULL,
                result BLOB NOT NULL);
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
