using Microsoft.Data.Sqlite;

namespace CareLedger.Ledger.Tests;

/// <summary>Changes stored bytes behind the ledger's back, as an attacker with disk access would.</summary>
internal static class Tamper
{
    public static void FlipByte(string databasePath, string table, string column, string where, int offset)
    {
        using var c = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        c.Open();
        using var read = c.CreateCommand();
        read.CommandText = $"SELECT {column} FROM {table} WHERE {where}";
        var bytes = (byte[])read.ExecuteScalar()!;
        bytes[offset % bytes.Length] ^= 0x01;
        using var write = c.CreateCommand();
        write.CommandText = $"UPDATE {table} SET {column} = $v WHERE {where}";
        write.Parameters.AddWithValue("$v", bytes);
        Assert.Equal(1, write.ExecuteNonQuery());
    }

    public static void Execute(string databasePath, string sql)
    {
        using var c = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
