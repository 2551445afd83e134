using CareLedger.Core.Ledger;
using CareLedger.Core.Merkle;
using CareLedger.Storage;

namespace CareLedger.Ledger.Audit;

/// <summary>
/// Recomputes each column a store derived from a replayed block (block hash, time and first log index; each transaction's
/// id, id key, height, signer, nonce, expiry and status) and compares every Merkle node the replay appended with the stored
/// one, level by level in index order. <see cref="Leftover"/> then finds rows that no block accounts for.
/// </summary>
internal sealed class StoredRowsCheck(LedgerStore store, LedgerStore.MerkleNodeCursors nodes) : IStoredBlockCheck
{
    private int _topLevel = -1;

    /// <summary>The stored block being replayed.</summary>
    public StoredBlock? Current { get; set; }

    public AuditFailure? Check(RecordedBlock block, IReadOnlyList<TransactionResult> results, IReadOnlyList<MerkleNode> appended)
    {
        if (ColumnsProblem(Current!, i => results[i].Status) is { } problem)
        {
            return problem;
        }
        var h = block.Header.Height;
        foreach (var node in appended)
        {
            _topLevel = Math.Max(_topLevel, node.Level);
            var found = nodes.Next(node.Level);
            if (found is not { } n || n.Index != node.Index)
            {
                var what = found is { } other && other.Index < node.Index ? $"an extra node at index {other.Index}" : "no node";
                return Row(h, "merkle_nodes", $"{node.Level}/{node.Index}", $"level {node.Level} holds {what} where the log has node {node.Index}");
            }
            if (!n.Hash.AsSpan().SequenceEqual(node.Hash.Span))
            {
                return Row(h, "merkle_nodes", $"{node.Level}/{node.Index}", $"the stored Merkle node at level {node.Level}, index {node.Index} differs from the recomputed one");
            }
        }
        return null;
    }

    /// <summary>
    /// Null when every column the store derived from <paramref name="stored"/> matches its signed header, its transactions'
    /// signed bytes and the status of each result (<paramref name="status"/> by position).
    /// </summary>
    public static AuditFailure? ColumnsProblem(StoredBlock stored, Func<int, TransactionStatus> status)
    {
        var block = stored.Block;
        var header = block.Header;
        var h = header.Height;
        var first = header.LogSize - header.TransactionCount;
        var blockProblem = !stored.Row.Hash.AsSpan().SequenceEqual(header.Hash.Span) ? "hash"
            : stored.Row.Timestamp != header.Timestamp ? "timestamp"
            : stored.Row.FirstLogIndex != first ? "first_log_index"
            : null;
        if (blockProblem is not null)
        {
            return Row(h, "blocks", h, $"the stored {blockProblem} differs from the signed header's");
        }
        for (var i = 0; i < stored.Rows.Count; i++)
        {
            var (row, tx) = (stored.Rows[i], block.Transactions[i]);
            var column = row.LogIndex != first + i ? "log_index"
                : !row.Id.AsSpan().SequenceEqual(tx.Id.Span) ? "id"
                : row.IdKey != LedgerStore.IdKeyOf(tx.Id) ? "id_key"
                : row.Height != h ? "height"
                : !row.Signer.AsSpan().SequenceEqual(tx.Signer.Value.Span) ? "signer"
                : row.Nonce != unchecked((long)tx.Nonce) ? "nonce"
                : row.NotAfter != tx.NotAfter ? "not_after"
                : row.Status != (long)status(i) ? "status"
                : null;
            if (column is not null)
            {
                return Row(h, "transactions", row.LogIndex, $"the {column} column of transaction {i} ({tx.Id}) differs from its signed bytes or recorded result");
            }
        }
        return null;
    }

    /// <summary>Rows beyond what the audited chain accounts for: blocks or transactions past the head, Merkle nodes nothing appended.</summary>
    public AuditFailure? Leftover(AuditReport report)
    {
        var counts = store.RowCounts();
        if (counts.Blocks != report.Blocks || counts.MinHeight != 0)
        {
            return new AuditFailure(-1, $"the blocks table holds {counts.Blocks} rows from height {counts.MinHeight}; the chain has {report.Blocks} from 0") { Table = "blocks" };
        }
        if (counts.Transactions != report.Transactions || counts.MinLogIndex != 0 || counts.MaxLogIndex != report.Transactions - 1)
        {
            return new AuditFailure(-1, $"the transactions table holds {counts.Transactions} rows (log index {counts.MinLogIndex} to {counts.MaxLogIndex}); the chain has {report.Transactions}")
            {
                Table = "transactions",
                Row = counts.MaxLogIndex.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
        }
        for (var level = 0; level <= _topLevel; level++)
        {
            if (nodes.Next(level) is { } extra)
            {
                return new AuditFailure(-1, $"a Merkle node at level {level}, index {extra.Index} is past the log") { Table = "merkle_nodes", Row = $"{level}/{extra.Index}" };
            }
        }
        return store.FirstMerkleNodeAbove(_topLevel) is { } above
            ? new AuditFailure(-1, $"a Merkle node at level {above.Level}, index {above.Index} is past the log") { Table = "merkle_nodes", Row = $"{above.Level}/{above.Index}" }
            : null;
    }

    private static AuditFailure Row(long height, string table, object row, string reason) =>
        new(height, reason) { Table = table, Row = Convert.ToString(row, System.Globalization.CultureInfo.InvariantCulture) };
}
