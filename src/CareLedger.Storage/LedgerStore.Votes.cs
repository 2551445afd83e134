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
        using var cmd = Command(c, "SELECT signer, header_hash, signature FROM header_votes WHERE height = $h ORDER BY signer", ("$h", height));
        using var r = cmd.ExecuteReader();
        var votes = new List<HeaderVote>();
        while (r.Read())
        {
            var signer = new KeyId(Hash.FromBytes(Blob(r, 0, "vote signer")));
            votes.Add(new HeaderVote(height, Hash.FromBytes(Blob(r, 1, "vote header hash")), new HeaderSignature(signer, Signature.FromBytes(Blob(r, 2, "vote signature")))));
        }
        return votes;
    });

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
            var signer = new KeyId(Hash.FromBytes(Blob(r, 1, "vote signer")));
            votes.Add(new HeaderVote(r.GetInt64(0), Hash.FromBytes(Blob(r, 2, "vote header hash")),
                new HeaderSignature(signer, Signature.FromBytes(Blob(r, 3, "vote signature")))));
        }
        return votes;
    });
}
