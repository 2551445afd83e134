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

        var rows = _blockStatements;
        for (var i = 0; i < block.Transactions.Count; i++)
        {
            var t = block.Transactions[i];
            rows.InsertTransaction(commit.FirstLogIndex + i, t.Id.Span, header.Height, t.Signer.Value.Span, t.Nonce, t.NotAfter,
                (int)block.Results[i].Status, t.Encoded.Span, commit.EncodedResults[i]);
        }
        foreach (var node in commit.MerkleNodes)
        {
            rows.InsertMerkleNode(node.Level, node.Index, node.Hash.Span);
        }
        foreach (var write in commit.StateWrites)
        {
            if (write.Value is null)
            {
                rows.DeleteState(write.Key);
            }
            else
            {
                // Into the filter before the block commits: a reader never sees the key in the table but not in the filter.
                _stateKeys.Add(write.Key);
                rows.PutState(write.Key, write.Value, header.Height);
            }
        }
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
