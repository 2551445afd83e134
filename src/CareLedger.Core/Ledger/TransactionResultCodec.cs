using System.Formats.Cbor;
using CareLedger.Core.Crypto;
using CareLedger.Core.Encoding;
using CareLedger.Core.Merkle;

namespace CareLedger.Core.Ledger;

/// <summary>Canonical CBOR of <see cref="TransactionResult"/> (docs/serialization-format.md §Result entry).</summary>
public static class TransactionResultCodec
{
    /// <summary>The canonical encoding: the Merkle log's leaf input.</summary>
    /// <remarks>Keys are written in canonical order (length first), so the presorted writer gives the canonical bytes.</remarks>
    public static byte[] Encode(TransactionResult result)
    {
        var writer = CanonicalCbor.CreatePresortedWriter();
        writer.WriteStartMap(8);
        writer.WriteTextString("tx");
        writer.WriteByteString(result.TransactionId.Span);
        writer.WriteTextString("code");
        WriteOptional(writer, result.Code);
        writer.WriteTextString("index");
        writer.WriteInt32(result.Index);
        writer.WriteTextString("events");
        writer.WriteStartArray(result.Events.Count);
        foreach (var e in result.Events)
        {
            writer.WriteStartMap(2);
            writer.WriteTextString("type");
            writer.WriteTextString(e.Type);
            writer.WriteTextString("attrs");
            writer.WriteStartMap(e.InCanonicalOrder.Count);
            foreach (var (key, value) in e.InCanonicalOrder)
            {
                writer.WriteTextString(key);
                writer.WriteTextString(value);
            }
            writer.WriteEndMap();
            writer.WriteEndMap();
        }
        writer.WriteEndArray();
        writer.WriteTextString("height");
        writer.WriteInt64(result.Height);
        writer.WriteTextString("status");
        writer.WriteTextString(result.Status == TransactionStatus.Committed ? "committed" : "rejected");
        writer.WriteTextString("writes");
        writer.WriteByteString(result.WriteSetDigest.Span);
        writer.WriteTextString("message");
        WriteOptional(writer, result.Message);
        writer.WriteEndMap();
        return writer.Encode();
    }

    /// <summary>The Merkle leaf hash of a result.</summary>
    public static Hash LeafHash(TransactionResult result) => MerkleHasher.HashLeaf(Encode(result));

    /// <summary>Parses a canonical encoding. Throws <see cref="FormatException"/> otherwise.</summary>
    public static TransactionResult Parse(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            var reader = CanonicalCbor.CreateReader(encoded);
            var result = Read(reader);
            CanonicalCbor.EnsureFullyConsumed(reader);
            return result;
        }
        catch (Exception ex) when (ex is CborContentException or InvalidOperationException or OverflowException or KeyNotFoundException)
        {
            throw new FormatException($"Not a canonical result entry: {ex.Message}", ex);
        }
    }

    // Fields into locals, not a dictionary of boxed values: the audit reads every result of the chain.
    private static TransactionResult Read(CborReader reader)
    {
        Hash? tx = null, writes = null;
        string? code = null, message = null;
        int? index = null;
        long? height = null;
        TransactionStatus? status = null;
        List<LedgerEvent>? events = null;
        if (reader.ReadStartMap() != 8)
        {
            throw new FormatException("A result entry has exactly 8 fields.");
        }
        for (var i = 0; i < 8; i++)
        {
            var key = reader.ReadTextString();
            switch (key)
            {
                case "tx": tx = Hash.FromBytes(CanonicalCbor.ReadFixedBytes(reader, Hash.Size, key)); break;
                case "writes": writes = Hash.FromBytes(CanonicalCbor.ReadFixedBytes(reader, Hash.Size, key)); break;
                case "code": code = ReadOptional(reader); break;
                case "message": message = ReadOptional(reader); break;
                case "index": index = reader.ReadInt32(); break;
                case "height": height = reader.ReadInt64(); break;
                case "status":
                    status = reader.ReadTextString() switch
                    {
                        "committed" => TransactionStatus.Committed,
                        "rejected" => TransactionStatus.Rejected,
                        var other => throw new FormatException($"Unknown status '{other}'."),
                    };
                    break;
                case "events": events = ReadEvents(reader); break;
                default: throw new FormatException($"Unknown result field '{key}'.");
            }
        }
        reader.ReadEndMap();
        // The canonical reader refuses repeated keys, so eight known keys are all eight fields; the checks are for the compiler.
        if (tx is null || writes is null || index is null || height is null || status is null || events is null)
        {
            throw new FormatException("A result entry has exactly 8 fields.");
        }
        return new TransactionResult
        {
            TransactionId = tx.Value,
            Height = height.Value,
            Index = index.Value,
            Status = status.Value,
            Code = code,
            Message = message,
            Events = events,
            WriteSetDigest = writes.Value,
        };
    }

    private static List<LedgerEvent> ReadEvents(CborReader reader)
    {
        var events = new List<LedgerEvent>();
        var count = reader.ReadStartArray() ?? throw new FormatException("Indefinite array.");
        for (var i = 0; i < count; i++)
        {
            reader.ReadStartMap();
            if (reader.ReadTextString() != "type")
            {
                throw new FormatException("Event must start with 'type'.");
            }
            var type = reader.ReadTextString();
            if (reader.ReadTextString() != "attrs")
            {
                throw new FormatException("Event must carry 'attrs'.");
            }
            var n = reader.ReadStartMap() ?? throw new FormatException("Indefinite map.");
            var attrs = new List<KeyValuePair<string, string>>(n);
            for (var j = 0; j < n; j++)
            {
                attrs.Add(new(reader.ReadTextString(), reader.ReadTextString()));
            }
            reader.ReadEndMap();
            reader.ReadEndMap();
            events.Add(new LedgerEvent(type, attrs));
        }
        reader.ReadEndArray();
        return events;
    }

    private static void WriteOptional(CborWriter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.WriteTextString(value);
        }
    }

    private static string? ReadOptional(CborReader reader)
    {
        if (reader.PeekState() == CborReaderState.Null)
        {
            reader.ReadNull();
            return null;
        }
        return reader.ReadTextString();
    }
}
