using System.Formats.Cbor;
using CareLedger.Core.Encoding;
using CareLedger.Core.Ledger;

namespace CareLedger.Ledger.Audit;

/// <summary>
/// The chain export file: an RFC 8742 CBOR sequence. First item
/// <c>{format: "careledger-export", version: 1, genesis: bstr}</c>, then one item per block
/// <c>{header: signed header, txs: [bstr], results: [bstr]}</c> from height 0 up
/// (docs/serialization-format.md §Chain export).
/// </summary>
public static class ChainExport
{
    private const string Format = "careledger-export";

    /// <summary>Writes the genesis document and blocks; reports the number of blocks written.</summary>
    public static void Write(Stream output, GenesisDocument genesis, IEnumerable<RecordedBlock> blocks, IProgress<long>? progress = null)
    {
        var head = CanonicalCbor.CreateWriter();
        head.WriteStartMap(3);
        head.WriteTextString("format");
        head.WriteTextString(Format);
        head.WriteTextString("genesis");
        head.WriteByteString(genesis.Encode());
        head.WriteTextString("version");
        head.WriteInt32(1);
        head.WriteEndMap();
        output.Write(head.Encode());
        long count = 0;
        foreach (var block in blocks)
        {
            var w = CanonicalCbor.CreateWriter();
            w.WriteStartMap(3);
            w.WriteTextString("txs");
            w.WriteStartArray(block.Transactions.Count);
            foreach (var tx in block.Transactions)
            {
                w.WriteByteString(tx.Encoded.Span);
            }
            w.WriteEndArray();
            w.WriteTextString("header");
            BlockHeaderCodec.WriteSigned(w, block.SignedHeader);
            w.WriteTextString("results");
            w.WriteStartArray(block.Results.Count);
            foreach (var r in block.Results)
            {
                w.WriteByteString(r);
            }
            w.WriteEndArray();
            w.WriteEndMap();
            output.Write(w.Encode());
            progress?.Report(++count);
        }
    }

    /// <summary>Reads an export: its genesis document and a lazy sequence of blocks. Throws <see cref="FormatException"/> on bad data.</summary>
    public static (GenesisDocument Genesis, IEnumerable<RecordedBlock> Blocks) Read(ReadOnlyMemory<byte> file)
    {
        var reader = new CborReader(file, CborConformanceMode.Canonical, allowMultipleRootLevelValues: true);
        try
        {
            if (reader.ReadStartMap() != 3 || reader.ReadTextString() != "format" || reader.ReadTextString() != Format
                || reader.ReadTextString() != "genesis")
            {
                throw new FormatException("Not a CareLedger chain export.");
            }
            var genesis = GenesisDocument.Parse(reader.ReadByteString());
            if (reader.ReadTextString() != "version" || reader.ReadInt32() != 1)
            {
                throw new FormatException("Unsupported export version.");
            }
            reader.ReadEndMap();
            return (genesis, ReadBlocks(reader));
        }
        catch (Exception ex) when (ex is CborContentException or InvalidOperationException)
        {
            throw new FormatException($"Not a CareLedger chain export: {ex.Message}", ex);
        }
    }

    private static IEnumerable<RecordedBlock> ReadBlocks(CborReader reader)
    {
        while (reader.BytesRemaining > 0)
        {
            RecordedBlock block;
            try
            {
                reader.ReadStartMap();
                reader.ReadTextString();
                var n = reader.ReadStartArray() ?? 0;
                var txs = new List<Transaction>(n);
                for (var i = 0; i < n; i++)
                {
                    txs.Add(TransactionCodec.Parse(reader.ReadByteString()));
                }
                reader.ReadEndArray();
                reader.ReadTextString();
                var header = BlockHeaderCodec.ReadSigned(reader);
                reader.ReadTextString();
                var m = reader.ReadStartArray() ?? 0;
                var results = new List<byte[]>(m);
                for (var i = 0; i < m; i++)
                {
                    results.Add(reader.ReadByteString());
                }
                reader.ReadEndArray();
                reader.ReadEndMap();
                block = new RecordedBlock(header, txs, results);
            }
            catch (Exception ex) when (ex is CborContentException or InvalidOperationException or FormatException)
            {
                throw new Storage.StoreCorruptedException($"A block of the export does not decode: {ex.Message}", ex);
            }
            yield return block;
        }
    }
}
