using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace CareLedger.Storage;

public sealed partial class LedgerStore
{
    private void InsertBlock(SqliteTransaction tx, BlockCommit commit)
    {
        var block = commit.Block;
        var header = block.Header;
        using (var cmd = Command(_writer, "INSERT INTO blocks(height, hash, timestamp, first_log_index, header) VALUES ($h, $hash, $t, $first, $header)",
                   ("$h", header.Height), ("$hash", header.Hash.Span.ToArray()), ("$t", header.Timestamp), ("$first", commit.FirstLogIndex),
                   ("$header", Core.Ledger.BlockHeaderCodec.EncodeSigned(block.SignedHeader))))
        {
            cmd.Transaction = tx;
            cmd.ExecuteNonQuery();
        }

        using (var transactions = new RowBatch(_writer, tx,
                   "INSERT INTO transactions(log_index, id, height, idx, signer, nonce, not_after, type, status, raw, result)", 11))
        using (var events = new RowBatch(_writer, tx, "INSERT INTO events(log_index, seq, type, attributes)", 4))
        {
            for (var i = 0; i < block.Transactions.Count; i++)
            {
                var t = block.Transactions[i];
                var result = block.Results[i];
                var logIndex = commit.FirstLogIndex + i;
                transactions.Add(logIndex, t.Id.Span.ToArray(), header.Height, i, t.Signer.Value.Span.ToArray(), unchecked((long)t.Nonce),
                    t.NotAfter, t.Type, (int)result.Status, t.Encoded.ToArray(), commit.EncodedResults[i]);
                for (var seq = 0; seq < result.Events.Count; seq++)
                {
                    events.Add(logIndex, seq, result.Events[seq].Type, JsonSerializer.Serialize(result.Events[seq].Attributes));
                }
            }
            transactions.Flush();
            events.Flush();
        }

        using (var nodes = new RowBatch(_writer, tx, "INSERT INTO merkle_nodes(level, idx, hash)", 3))
        {
            foreach (var node in commit.MerkleNodes)
            {
                nodes.Add(node.Level, node.Index, node.Hash.Span.ToArray());
            }
            nodes.Flush();
        }

        using var upserts = new RowBatch(_writer, tx, "INSERT INTO state(key, value, height)", 3,
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value, height = excluded.height");
        foreach (var write in commit.StateWrites)
        {
            if (write.Value is null)
            {
                using var delete = Command(_writer, "DELETE FROM state WHERE key = $k", ("$k", write.Key));
                delete.Transaction = tx;
                delete.ExecuteNonQuery();
            }
            else
            {
                upserts.Add(write.Key, write.Value, header.Height);
            }
        }
        upserts.Flush();
        WriteMeta(tx, commit.Meta);
    }

    private void WriteMeta(SqliteTransaction tx, IReadOnlyList<KeyValuePair<string, byte[]>> meta)
    {
        foreach (var (key, value) in meta)
        {
            using var cmd = Command(_writer, "INSERT OR REPLACE INTO meta(key, value) VALUES ($k, $v)", ("$k", key), ("$v", value));
            cmd.Transaction = tx;
            cmd.ExecuteNonQuery();
        }
    }
}
