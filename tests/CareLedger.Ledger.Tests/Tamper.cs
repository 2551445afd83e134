using static System.Buffers.Binary.BinaryPrimitives;
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

    /// <summary>
    /// A hash of everything SQLite returns from the file: the schema, every row of every table in key order, every index's
    /// entries, and the integrity check's answer; "unreadable" when it cannot read them.
    /// </summary>
    public static string Fingerprint(string databasePath)
    {
        try
        {
            using var c = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
            c.Open();
            using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            foreach (var sql in new[]
            {
                "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name",
                "PRAGMA user_version",
                "SELECT * FROM meta ORDER BY key",
                "SELECT * FROM blocks ORDER BY height",
                "SELECT timestamp, height FROM blocks INDEXED BY blocks_by_time ORDER BY timestamp, height",
                "SELECT hash, height FROM blocks INDEXED BY sqlite_autoindex_blocks_1 ORDER BY hash",
                "SELECT * FROM transactions ORDER BY log_index",
                "SELECT id_key, log_index FROM transactions INDEXED BY transactions_by_id_key ORDER BY id_key, log_index",
                "SELECT * FROM merkle_nodes ORDER BY level, idx",
                "SELECT * FROM state ORDER BY key",
                "SELECT * FROM header_votes ORDER BY height, signer",
                "PRAGMA integrity_check",
            })
            {
                using var cmd = c.CreateCommand();
                cmd.CommandText = sql;
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    for (var i = 0; i < r.FieldCount; i++)
                    {
                        var value = r.GetValue(i);
                        sha.AppendData(value is byte[] b ? b : System.Text.Encoding.UTF8.GetBytes($"{value?.GetType().Name}:{value}"));
                        sha.AppendData([0xff]);
                    }
                }
            }
            return Convert.ToHexString(sha.GetHashAndReset());
        }
        catch (SqliteException ex)
        {
            return "unreadable: " + ex.Message;
        }
    }

    /// <summary>
    /// Page number → the table or index whose b-tree holds it and the page kind, found by walking each b-tree from its root
    /// page (this SQLite build has no dbstat table); pages of no tree are free pages.
    /// </summary>
    public static Dictionary<long, string> PageOwners(string databasePath)
    {
        var roots = new List<(string Name, long Root)> { ("sqlite_schema", 1) };
        using (var c = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT name, rootpage FROM sqlite_schema WHERE rootpage > 0";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                roots.Add((r.GetString(0), r.GetInt64(1)));
            }
        }
        var file = File.ReadAllBytes(databasePath);
        var pageSize = ReadUInt16BigEndian(file.AsSpan(16));
        var owners = new Dictionary<long, string>();
        foreach (var (name, root) in roots)
        {
            var pending = new Stack<long>([root]);
            while (pending.TryPop(out var page))
            {
                var tree = BTreePage.At(file, pageSize, page);
                owners[page] = name + (tree.IsInterior ? " interior" : " leaf");
                if (!tree.IsInterior)
                {
                    continue;
                }
                pending.Push(ReadUInt32BigEndian(file.AsSpan(tree.Header + 8)));
                for (var i = 0; i < tree.Cells; i++)
                {
                    var cell = ReadUInt16BigEndian(file.AsSpan(tree.Header + 12 + 2 * i));
                    pending.Push(ReadUInt32BigEndian(file.AsSpan(tree.Start + cell)));
                }
            }
        }
        return owners;
    }

    /// <summary>
    /// A byte of <paramref name="page"/> (1-based) that a b-tree page uses: its header, cell pointers or cell content area
    /// (the gap between pointers and content is unused). Any byte of a page that is no b-tree's.
    /// </summary>
    public static int UsedByteOf(byte[] file, int pageSize, long page, bool isTreePage, Random random)
    {
        if (!isTreePage)
        {
            return (int)((page - 1) * pageSize) + random.Next(pageSize);
        }
        var tree = BTreePage.At(file, pageSize, page);
        var content = ReadUInt16BigEndian(file.AsSpan(tree.Header + 5)) is var c and > 0 ? c : 65536;
        var front = tree.Header + (tree.IsInterior ? 12 : 8) + 2 * tree.Cells - tree.Start;
        var pick = random.Next(front + pageSize - content);
        return tree.Start + (pick < front ? pick : content + pick - front);
    }

    // A b-tree page of the SQLite file format: where it starts, where its header starts (after the file header on page 1),
    // whether it is interior, and its number of cells.
    private readonly record struct BTreePage(int Start, int Header, bool IsInterior, int Cells)
    {
        public static BTreePage At(byte[] file, int pageSize, long page)
        {
            var start = (int)((page - 1) * pageSize);
            var header = start + (page == 1 ? 100 : 0);
            return new BTreePage(start, header, file[header] is 0x02 or 0x05, ReadUInt16BigEndian(file.AsSpan(header + 3)));
        }
    }
}
