using System.Buffers;
using CareLedger.Ledger.Ordering;

namespace CareLedger.Consensus.Raft;

/// <summary>
/// What the leader keeps beside a batch it replicates: the entry's bytes and their parse, so applying its own
/// entry needs no second parse. Raft lets a later leader overwrite an uncommitted entry while the log still
/// holds this context at that index, so the parse may be used only for an entry whose bytes are these bytes.
/// </summary>
internal sealed record ReplicatedBatch(byte[] Encoded, OrderedBatch Parsed)
{
    /// <summary>The parse, when <paramref name="payload"/> is exactly the bytes it was parsed from; otherwise null.</summary>
    public OrderedBatch? ParsedIfSameAs(in ReadOnlySequence<byte> payload)
    {
        if (payload.Length != Encoded.Length)
        {
            return null;
        }
        var offset = 0;
        foreach (var segment in payload)
        {
            if (!segment.Span.SequenceEqual(Encoded.AsSpan(offset, segment.Length)))
            {
                return null;
            }
            offset += segment.Length;
        }
        return Parsed;
    }
}
