using System.Formats.Cbor;
using CareLedger.Core.Crypto;
using CareLedger.Core.Encoding;

namespace CareLedger.Core.Ledger;

/// <summary>Canonical CBOR encoding of <see cref="Transaction"/> (docs/serialization-format.md §Transaction).</summary>
public static class TransactionCodec
{
    /// <summary>Upper bound on an encoded transaction; documents belong in the vault.</summary>
    public const int MaxSize = 64 * 1024;

    /// <summary>Longest accepted type name ("contract.action").</summary>
    public const int MaxTypeLength = 64;

    /// <summary>Builds and signs a transaction.</summary>
    public static Transaction Sign(SigningKey key, string chain, string type, TransactionArgs args, ulong nonce, long notAfter)
    {
        ValidateType(type);
        var body = EncodeBody(chain, type, args, key.Id, nonce, notAfter, signature: null);
        var signature = key.Sign(body);
        var encoded = EncodeBody(chain, type, args, key.Id, nonce, notAfter, signature);
        return new Transaction(chain, type, args, key.Id, nonce, notAfter, signature, encoded);
    }

    // The "sig" entry of the canonical map: its key (text of 3 bytes) and a 64-byte byte string.
    private const int SignatureEntryLength = 1 + 3 + 2 + Signature.Size;

    // The head of a definite-length map of six entries (major type 5, count 6).
    private const byte MapOfSixEntries = 0xA6;

    /// <summary>
    /// The bytes the signature covers: the envelope without <c>sig</c>. A transaction's encoding is always
    /// canonical (it was built by <see cref="Sign"/> or checked by <see cref="Parse"/>), and in a canonical
    /// map "sig", the shortest key, comes first: the signed bytes are the map with six entries instead
    /// of seven and that first entry cut out, so no re-encoding is needed.
    /// </summary>
    public static byte[] SignedBytes(Transaction tx)
    {
        var encoded = tx.Encoded.Span;
        var signed = new byte[encoded.Length - SignatureEntryLength];
        signed[0] = MapOfSixEntries;
        encoded[(1 + SignatureEntryLength)..].CopyTo(signed.AsSpan(1));
        return signed;
    }

    /// <summary>
    /// Parses a canonical encoding. Throws <see cref="FormatException"/> (with the reason) for anything
    /// else: non-canonical CBOR, unknown or missing fields, wrong lengths, trailing bytes, oversize input.
    /// The signature is not checked here.
    /// </summary>
    public static Transaction Parse(ReadOnlyMemory<byte> encoded)
    {
        if (encoded.Length > MaxSize)
        {
            throw new FormatException($"A transaction is at most {MaxSize} bytes; got {encoded.Length}.");
        }
        try
        {
            var reader = CanonicalCbor.CreateReader(encoded);
            var count = reader.ReadStartMap();
            if (count != 7)
            {
                throw new FormatException("A transaction is a map of exactly 7 fields.");
            }
            string? chain = null, type = null;
            TransactionArgs? args = null;
            KeyId? signer = null;
            ulong? nonce = null;
            long? notAfter = null;
            Signature? signature = null;
            for (var i = 0; i < 7; i++)
            {
                var key = reader.ReadTextString();
                switch (key)
                {
                    case "sig": signature = Signature.FromBytes(CanonicalCbor.ReadFixedBytes(reader, Signature.Size, key)); break;
                    case "args": args = TransactionArgs.ReadFrom(reader, encoded); break;
                    case "type": type = reader.ReadTextString(); break;
                    case "chain": chain = reader.ReadTextString(); break;
                    case "nonce": nonce = reader.ReadUInt64(); break;
                    case "signer": signer = new KeyId(Hash.FromBytes(CanonicalCbor.ReadFixedBytes(reader, Hash.Size, key))); break;
                    case "notAfter": notAfter = reader.ReadInt64(); break;
                    default: throw new FormatException($"Unknown transaction field '{key}'.");
                }
            }
            reader.ReadEndMap();
            CanonicalCbor.EnsureFullyConsumed(reader);
            if (chain is null || type is null || args is null || signer is null || nonce is null || notAfter is null || signature is null)
            {
                throw new FormatException("A transaction field is missing.");
            }
            ValidateType(type);
            return new Transaction(chain!, type!, args!, signer!.Value, nonce!.Value, notAfter!.Value, signature!.Value, encoded.ToArray());
        }
        catch (Exception ex) when (ex is CborContentException or InvalidOperationException or OverflowException or ArgumentException)
        {
            throw new FormatException($"Not a canonical transaction: {ex.Message}", ex);
        }
    }

    private static void ValidateType(string type)
    {
        var dot = type.IndexOf('.', StringComparison.Ordinal);
        if (type.Length > MaxTypeLength || dot <= 0 || dot == type.Length - 1)
        {
            throw new FormatException($"Transaction type '{type}' is not of the form contract.action.");
        }
    }

    private static byte[] EncodeBody(string chain, string type, TransactionArgs args, KeyId signer, ulong nonce, long notAfter, Signature? signature)
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartMap(signature is null ? 6 : 7);
        writer.WriteTextString("chain");
        writer.WriteTextString(chain);
        writer.WriteTextString("type");
        writer.WriteTextString(type);
        writer.WriteTextString("args");
        writer.WriteEncodedValue(args.Encoded.Span);
        writer.WriteTextString("signer");
        writer.WriteByteString(signer.Value.Span);
        writer.WriteTextString("nonce");
        writer.WriteUInt64(nonce);
        writer.WriteTextString("notAfter");
        writer.WriteInt64(notAfter);
        if (signature is { } sig)
        {
            writer.WriteTextString("sig");
            writer.WriteByteString(sig.Span);
        }
        writer.WriteEndMap();
        return writer.Encode();
    }
}
