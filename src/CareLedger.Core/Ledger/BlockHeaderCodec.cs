using System.Formats.Cbor;
using CareLedger.Core.Crypto;
using CareLedger.Core.Encoding;

namespace CareLedger.Core.Ledger;

/// <summary>Canonical CBOR of <see cref="BlockHeader"/> and <see cref="SignedBlockHeader"/> (docs/serialization-format.md §Block header).</summary>
public static class BlockHeaderCodec
{
    internal static byte[] Encode(BlockHeader h)
    {
        var writer = CanonicalCbor.CreateWriter();
        Write(writer, h);
        return writer.Encode();
    }

    /// <summary>Writes the header map.</summary>
    public static void Write(CborWriter writer, BlockHeader h)
    {
        writer.WriteStartMap(11);
        writer.WriteTextString("chain");
        writer.WriteTextString(h.Chain);
        writer.WriteTextString("height");
        writer.WriteInt64(h.Height);
        writer.WriteTextString("prev");
        writer.WriteByteString(h.PreviousHash.Span);
        writer.WriteTextString("time");
        writer.WriteInt64(h.Timestamp);
        writer.WriteTextString("txCount");
        writer.WriteInt32(h.TransactionCount);
        writer.WriteTextString("txRoot");
        writer.WriteByteString(h.TransactionRoot.Span);
        writer.WriteTextString("logSize");
        writer.WriteInt64(h.LogSize);
        writer.WriteTextString("logRoot");
        writer.WriteByteString(h.LogRoot.Span);
        writer.WriteTextString("state");
        writer.WriteByteString(h.StateDigest.Span);
        writer.WriteTextString("stateSet");
        writer.WriteByteString(h.StateSet.Span);
        writer.WriteTextString("proposer");
        writer.WriteByteString(h.Proposer.Value.Span);
        writer.WriteEndMap();
    }

    /// <summary>Reads a header map.</summary>
    public static BlockHeader Read(CborReader reader)
    {
        if (reader.ReadStartMap() != 11)
        {
            throw new FormatException("A block header is a map of exactly 11 fields.");
        }
        var f = new Dictionary<string, object>(StringComparer.Ordinal);
        for (var i = 0; i < 11; i++)
        {
            var key = reader.ReadTextString();
            f[key] = key switch
            {
                "chain" => reader.ReadTextString(),
                "height" or "time" or "logSize" => reader.ReadInt64(),
                "txCount" => reader.ReadInt32(),
                "prev" or "txRoot" or "logRoot" or "state" or "stateSet" or "proposer" => Hash.FromBytes(CanonicalCbor.ReadFixedBytes(reader, Hash.Size, key)),
                _ => throw new FormatException($"Unknown header field '{key}'."),
            };
        }
        reader.ReadEndMap();
        return new BlockHeader((string)f["chain"], (long)f["height"], (Hash)f["prev"], (long)f["time"], (int)f["txCount"],
            (Hash)f["txRoot"], (long)f["logSize"], (Hash)f["logRoot"], (Hash)f["state"], (Hash)f["stateSet"], new KeyId((Hash)f["proposer"]));
    }

    /// <summary>Canonical encoding of a signed header: <c>{header, sigs: [{key, sig}]}</c>.</summary>
    public static byte[] EncodeSigned(SignedBlockHeader signed)
    {
        var writer = CanonicalCbor.CreateWriter();
        WriteSigned(writer, signed);
        return writer.Encode();
    }

    /// <summary>Writes a signed header.</summary>
    public static void WriteSigned(CborWriter writer, SignedBlockHeader signed)
    {
        writer.WriteStartMap(2);
        writer.WriteTextString("sigs");
        writer.WriteStartArray(signed.Signatures.Count);
        foreach (var s in signed.Signatures)
        {
            writer.WriteStartMap(2);
            writer.WriteTextString("key");
            writer.WriteByteString(s.Signer.Value.Span);
            writer.WriteTextString("sig");
            writer.WriteByteString(s.Signature.Span);
            writer.WriteEndMap();
        }
        writer.WriteEndArray();
        writer.WriteTextString("header");
        Write(writer, signed.Header);
        writer.WriteEndMap();
    }

    /// <summary>Parses a signed header. Throws <see cref="FormatException"/> for anything not canonical.</summary>
    public static SignedBlockHeader ParseSigned(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            var reader = CanonicalCbor.CreateReader(encoded);
            var signed = ReadSigned(reader);
            CanonicalCbor.EnsureFullyConsumed(reader);
            return signed;
        }
        catch (Exception ex) when (ex is CborContentException or InvalidOperationException or OverflowException)
        {
            throw new FormatException($"Not a canonical signed header: {ex.Message}", ex);
        }
    }

    /// <summary>Reads a signed header.</summary>
    public static SignedBlockHeader ReadSigned(CborReader reader)
    {
        if (reader.ReadStartMap() != 2 || reader.ReadTextString() != "sigs")
        {
            throw new FormatException("A signed header is {sigs, header}.");
        }
        var count = reader.ReadStartArray() ?? throw new FormatException("Indefinite array.");
        var sigs = new List<HeaderSignature>(count);
        for (var i = 0; i < count; i++)
        {
            if (reader.ReadStartMap() != 2 || reader.ReadTextString() != "key")
            {
                throw new FormatException("A header signature is {key, sig}.");
            }
            var key = new KeyId(Hash.FromBytes(CanonicalCbor.ReadFixedBytes(reader, Hash.Size, "key")));
            if (reader.ReadTextString() != "sig")
            {
                throw new FormatException("A header signature is {key, sig}.");
            }
            var sig = Signature.FromBytes(CanonicalCbor.ReadFixedBytes(reader, Signature.Size, "sig"));
            reader.ReadEndMap();
            sigs.Add(new HeaderSignature(key, sig));
        }
        reader.ReadEndArray();
        if (reader.ReadTextString() != "header")
        {
            throw new FormatException("A signed header is {sigs, header}.");
        }
        var header = Read(reader);
        reader.ReadEndMap();
        return new SignedBlockHeader(header, sigs);
    }
}
