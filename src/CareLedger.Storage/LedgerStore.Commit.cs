using System.Text.Json;
using CareLedger.Core.Ledger;
using Microsoft.Data.Sqlite;

namespace CareLedger.Storage;

public sealed partial class LedgerStore
{
    // Statements are prepared once per block; SQLite reuses the compiled plan for every row.
    private void InsertBlock(SqliteTransaction tx, BlockCommit commit)
    {
        var block = commit.Block;
        var header = block.Header;
        using (var cmd = Command(_writer, "INSERT INTO blocks(height, hash, timestamp, header) VALUES ($h, $hash, $t, $header)",
                   ("$h", header.Height), ("$hash", header.Hash.Span.ToArray()), ("$t", header.Timestamp),
                   ("$header", BlockHeaderCodec.EncodeSigned(block.SignedHeader))))
        {
            cmd.Transaction = tx;
            cmd.ExecuteNonQuery();
        }

        using (var insertTx = _writer.CreateCommand())
        {
            insertTx.Transaction = tx;
            insertTx.CommandText = """
                INSERT INTO transactions(log_index, id, height, idx, signer, nonce, not_after, type, status, raw, result)
                VALUES ($log, $id, $h, $i, $signer, $nonce, $notAfter, $type, $status, $raw, $result)
                """;
            var p = AddParameters(insertTx, "$log", "$id", "$h", "$i", "$signer", "$nonce", "$notAfter", "$type", "$status", "$raw", "$result");
            using var insertEvent = _writer.CreateCommand();
            insertEvent.Transaction = tx;
            insertEvent.CommandText = "INSERT INTO events(log_index, seq, type, attributes) VALUES ($log, $seq, $type, $attrs)";
            var e = AddParameters(insertEvent, "$log", "$seq", "$type", "$attrs");
            for (var i = 0; i < block.Transactions.Count; i++)
            {
                var t = block.Transactions[i];
                var result = block.Results[i];
                var logIndex = commit.FirstLogIndex + i;
                p[0].Value = logIndex;
                p[1].Value = t.Id.Span.ToArray();
                p[2].Value = header.Height;
                p[3].Value = i;
                p[4].Value = t.Signer.Value.Span.ToArray();
                p[5].Value = unchecked((long)t.Nonce);
                p[6].Value = t.NotAfter;
                p[7].Value = t.Type;
                p[8].Value = (int)result.Status;
                p[9].Value = t.Encoded.ToArray();
                p[10].Value = TransactionResultCodec.Encode(result);
                insertTx.ExecuteNonQuery();
                for (var seq = 0; seq < result.Events.Count; seq++)
                {
                    e[0].Value = logIndex;
                    e[1].Value = seq;
                    e[2].Value = result.Events[seq].Type;
                    e[3].Value = JsonSerializer.Serialize(result.Events[seq].Attributes);
                    insertEvent.ExecuteNonQuery();
                }
            }
        }

        using (var insertNode = _writer.CreateCommand())
        {
            insertNode.Transaction = tx;
            insertNode.CommandText = "INSERT INTO merkle_nodes(level, idx, hash) VALUES ($l, $i, $hash)";
            var p = AddParameters(insertNode, "$l", "$i", "$hash");
            foreach (var node in commit.MerkleNodes)
            {
                p[0].Value = node.Level;
                p[1].Value = node.Index;
                p[2].Value = node.Hash.Span.ToArray();
                insertNode.ExecuteNonQuery();
            }
        }

        using var upsert = _writer.CreateCommand();
        upsert.Transaction = tx;
        upsert.CommandText = "INSERT INTO state(key, value, height) VALUES ($k, $v, $h) ON CONFLICT(key) DO UPDATE SET value = excluded.value, height = excluded.height";
        var s = AddParameters(upsert, "$k", "$v", "$h");
        using var delete = _writer.CreateCommand();
        delete.Transaction = tx;
        delete.CommandText = "DELETE FROM state WHERE key = $k";
        var d = AddParameters(delete, "$k");
        foreach (var write in commit.StateWrites)
        {
            if (write.Value is null)
            {
                d[0].Value = write.Key;
                delete.ExecuteNonQuery();
            }
            else
            {
                s[0].Value = write.Key;
                s[1].Value = write.Value;
                s[2].Value = header.Height;
                upsert.ExecuteNonQuery();
            }
        }
    }

    private static SqliteParameter[] AddParameters(SqliteCommand cmd, params string[] names)
    {
        var parameters = names.Select(n => cmd.Parameters.Add(n, SqliteType.Blob)).ToArray();
        foreach (var p in parameters)
        {
            p.Value = DBNull.Value;
        }
        cmd.Prepare();
        return parameters;
    }
}
