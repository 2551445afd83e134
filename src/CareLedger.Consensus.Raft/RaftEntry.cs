using System.Formats.Cbor;
using CareLedger.Core.Crypto;
using CareLedger.Core.Encoding;
using CareLedger.Core.Ledger;
using CareLedger.Storage;

namespace CareLedger.Consensus.Raft;

/// <summary>What one Raft log entry carries: an ordered batch of transactions, or validators' header votes.</summary>
public abstract record RaftEntry
{
    private const int BatchKind = 1;
    private const int VotesKind = 2;

    /// <summary>Canonical CBOR: <c>[1, time, proposer, [tx…]]</c> or <c>[2, [[height, headerHash, signer, signature]…]]</c>.</summary>
    public abstract byte[] Encode();

    /// <summary>Decodes an entry; <see cref="FormatException"/> for anything else.</summary>
    public static RaftEntry Decode(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            var r = CanonicalCbor.CreateReader(bytes);
            r.ReadStartArray();
            RaftEntry entry = r.ReadInt32() switch
            {
                BatchKind => BatchEntry.ReadBody(r),
                VotesKind => VotesEntry.ReadBody(r),
                var kind => throw new FormatException($"Unknown Raft entry kind {kind}."),
            };
            r.ReadEndArray();
            if (r.BytesRemaining != 0)
            {
                throw new FormatException("Trailing bytes after the Raft entry.");
            }
            return entry;
        }
        catch (Exception ex) when (ex is CborContentException or InvalidOperationException)
        {
            throw new FormatException("Not a CareLedger Raft entry.", ex);
        }
    }

    /// <summary>A batch the leader cut: block time, the leader's key id, the encoded transactions in order.</summary>
    public sealed record BatchEntry(long Timestamp, KeyId Proposer, IReadOnlyList<ReadOnlyMemory<byte>> Transactions) : RaftEntry
    {
        public override byte[] Encode()
        {
            var w = CanonicalCbor.CreateWriter();
            w.WriteStartArray(4);
            w.WriteInt32(BatchKind);
            w.WriteInt64(Timestamp);
            w.WriteByteString(Proposer.Value.Span);
            w.WriteStartArray(Transactions.Count);
            foreach (var tx in Transactions)
            {
                w.WriteByteString(tx.Span);
            }
            w.WriteEndArray();
            w.WriteEndArray();
            return w.Encode();
        }

        internal static BatchEntry ReadBody(CborReader r)
        {
            var time = r.ReadInt64();
            var proposer = new KeyId(Hash.FromBytes(r.ReadByteString()));
            var count = r.ReadStartArray() ?? throw new FormatException("Indefinite array.");
            var txs = new ReadOnlyMemory<byte>[count];
            for (var i = 0; i < count; i++)
            {
                txs[i] = r.ReadByteString();
            }
            r.ReadEndArray();
            return new BatchEntry(time, proposer, txs);
        }
    }

    /// <summary>Header votes: each validator's signature over the header it computed.</summary>
    public sealed record VotesEntry(IReadOnlyList<HeaderVote> Votes) : RaftEntry
    {
        public override byte[] Encode()
        {
            var w = CanonicalCbor.CreateWriter();
            w.WriteStartArray(2);
            w.WriteInt32(VotesKind);
            w.WriteStartArray(Votes.Count);
            foreach (var v in Votes)
            {
                w.WriteStartArray(4);
                w.WriteInt64(v.Height);
                w.WriteByteString(v.HeaderHash.Span);
                w.WriteByteString(v.Signature.Signer.Value.Span);
                w.WriteByteString(v.Signature.Signature.Span);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteEndArray();
            return w.Encode();
        }

        internal static VotesEntry ReadBody(CborReader r)
        {
            var count = r.ReadStartArray() ?? throw new FormatException("Indefinite array.");
            var votes = new HeaderVote[count];
            for (var i = 0; i < count; i++)
            {
                r.ReadStartArray();
                var height = r.ReadInt64();
                var hash = Hash.FromBytes(r.ReadByteString());
                var signer = new KeyId(Hash.FromBytes(r.ReadByteString()));
                var signature = Signature.FromBytes(r.ReadByteString());
                r.ReadEndArray();
                votes[i] = new HeaderVote(height, hash, new HeaderSignature(signer, signature));
            }
            r.ReadEndArray();
            return new VotesEntry(votes);
        }
    }
}
