using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;

namespace CareLedger.Storage;

public sealed partial class LedgerStore
{
    /// <summary>
    /// Records validators' header votes (the first vote of a signer at a height stands) and node bookkeeping,
    /// in one SQL transaction.
    /// </summary>
    public void AddHeaderVotes(IReadOnlyList<HeaderVote> votes, IReadOnlyList<KeyValuePair<string, byte[]>> meta) => Write(() =>
    {
        using var tx = _writer.BeginTransaction();
        foreach (var vote in votes)
        {
            using var cmd = Command(_writer,
                "INSERT OR IGNORE INTO header_votes(height, signer, header_hash, signature) VALUES ($h, $s, $hash, $sig)",
                ("$h", vote.Height), ("$s", vote.Signature.Signer.Value.Span.ToArray()), ("$hash", vote.HeaderHash.Span.ToArray()),
                ("$sig", vote.Signature.Signature.Span.ToArray()));
            cmd.Transaction = tx;
            cmd.ExecuteNonQuery();
        }
        WriteMeta(tx, meta);
        tx.Commit();
    });

    /// <summary>The header votes recorded at <paramref name="height"/>.</summary>
    public IReadOnlyList<HeaderVote> GetHeaderVotes(long height) => Read(c =>
    {
        using var cmd = Command(c, "SELECT height, signer, header_hash, signature FROM header_votes WHERE height = $h ORDER BY signer", ("$h", height));
        using var r = cmd.ExecuteReader();
        var votes = new List<HeaderVote>();
        while (r.Read())
        {
            votes.Add(ReadVote(r));
        }
        return votes;
    });

    /// <summary>Every stored header vote, in height and signer order, streamed: what an audit checks.</summary>
    public IEnumerable<HeaderVote> ReadHeaderVotes()
    {
        var (height, signer) = (-1L, Array.Empty<byte>());
        while (true)
        {
            // Pages of votes after the last one read, so no reader stays open while the caller verifies signatures.
            var page = Read(c =>
            {
                using var cmd = Command(c, """
                    SELECT height, signer, header_hash, signature FROM header_votes
                    WHERE (height, signer) > ($h, $s) ORDER BY height, signer LIMIT 10000
                    """, ("$h", height), ("$s", signer));
                using var r = cmd.ExecuteReader();
                var votes = new List<HeaderVote>();
                while (r.Read())
                {
                    votes.Add(ReadVote(r));
                }
                return votes;
            });
            foreach (var vote in page)
            {
                yield return vote;
            }
            if (page.Count < 10000)
            {
                yield break;
            }
            (height, signer) = (page[^1].Height, page[^1].Signature.Signer.Value.Span.ToArray());
        }
    }

    /// <summary>The highest height whose stored header has at least <paramref name="required"/> matching votes, or null.</summary>
    public long? GetHighestCertifiedHeight(int required) => Read(c =>
    {
        using var cmd = Command(c, """
            SELECT v.height FROM header_votes v JOIN blocks b ON b.height = v.height AND b.hash = v.header_hash
            GROUP BY v.height HAVING count(*) >= $m ORDER BY v.height DESC LIMIT 1
            """, ("$m", required));
        return cmd.ExecuteScalar() is long height ? height : (long?)null;
    });

    /// <summary>Votes for a header other than the one this store holds at that height: evidence of disagreement.</summary>
    public IReadOnlyList<HeaderVote> GetDisagreeingVotes() => Read(c =>
    {
        using var cmd = Command(c, """
            SELECT v.height, v.signer, v.header_hash, v.signature FROM header_votes v JOIN blocks b ON b.height = v.height
            WHERE v.header_hash <> b.hash ORDER BY v.height, v.signer
            """);
        using var r = cmd.ExecuteReader();
        var votes = new List<HeaderVote>();
        while (r.Read())
        {
            votes.Add(ReadVote(r));
        }
        return votes;
    });

    // A vote row as (height, signer, header_hash, signature).
    private static HeaderVote ReadVote(Microsoft.Data.Sqlite.SqliteDataReader r) =>
        new(Integer(r, 0, "vote height"), Hash.FromBytes(Blob(r, 2, "vote header hash")),
            new HeaderSignature(new KeyId(Hash.FromBytes(Blob(r, 1, "vote signer"))), Signature.FromBytes(Blob(r, 3, "vote signature"))));
}
