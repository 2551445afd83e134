using System.Formats.Cbor;
using CareLedger.Core.Crypto;
using CareLedger.Core.Encoding;
using CareLedger.Core.Ledger;
using CsCheck;
using Hash = CareLedger.Core.Crypto.Hash;

namespace CareLedger.Core.Tests.Encoding;

/// <summary>
/// Hot encoders write map keys in canonical order themselves instead of letting a canonical-mode writer
/// sort them. Their bytes must be exactly what the canonical-mode writer produces.
/// </summary>
public class PresortedEncodingTests
{
    private static readonly Gen<string> Keys = Gen.OneOf(
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz_"], 1, 30],
        Gen.String[Gen.Char, 1, 6]).Where(k => !HasLoneSurrogate(k));

    private static bool HasLoneSurrogate(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return true;
            }
        }
        return false;
    }

    private static byte[] EncodedKey(string key)
    {
        var writer = new CborWriter();
        writer.WriteTextString(key);
        return writer.Encode();
    }

    [Fact]
    public void Key_order_is_the_bytewise_order_of_the_encoded_keys()
    {
        Gen.Select(Keys, Keys).Sample((a, b) =>
            Math.Sign(CanonicalCbor.CompareKeys(a, b)) == Math.Sign(EncodedKey(a).AsSpan().SequenceCompareTo(EncodedKey(b))));
    }

    [Fact]
    public void A_result_encodes_to_the_canonical_writers_bytes()
    {
        var attributes = Gen.Select(Keys, Gen.String[0, 20]).List[0, 6]
            .Select(pairs => pairs.DistinctBy(p => p.Item1).Select(p => KeyValuePair.Create(p.Item1, p.Item2)).ToList());
        var events = Gen.Select(Keys, attributes, (type, attrs) => new LedgerEvent(type, attrs)).List[0, 4];
        var results = Gen.Select(Gen.Byte.Array[32], Gen.Long[0, long.MaxValue], Gen.Int[0, 100_000], Gen.Bool, events, Gen.String[0, 40])
            .Select((id, height, index, committed, evts, text) => new TransactionResult
            {
                TransactionId = Hash.FromBytes(id),
                Height = height,
                Index = index,
                Status = committed ? TransactionStatus.Committed : TransactionStatus.Rejected,
                Code = committed ? null : "x.code",
                Message = committed ? null : text,
                Events = evts,
                WriteSetDigest = Hash.Compute(id),
            });
        results.Sample(result => TransactionResultCodec.Encode(result).AsSpan().SequenceEqual(CanonicalWriterEncoding(result)));
    }

    [Fact]
    public void The_signed_bytes_are_the_canonical_map_without_the_signature()
    {
        var key = SigningKey.Generate();
        Gen.Select(Gen.ULong, Gen.Long[0, long.MaxValue], Gen.String[Gen.Char.AlphaNumeric, 1, 20]).Sample((nonce, notAfter, doc) =>
        {
            var tx = TransactionCodec.Sign(key, "chain-" + doc, "notary.anchor", TransactionArgs.FromJson($$"""{"documentType":"{{doc}}"}"""), nonce, notAfter);
            var writer = CanonicalCbor.CreateWriter();
            writer.WriteStartMap(6);
            writer.WriteTextString("notAfter");
            writer.WriteInt64(notAfter);
            writer.WriteTextString("signer");
            writer.WriteByteString(key.Id.Value.Span);
            writer.WriteTextString("nonce");
            writer.WriteUInt64(nonce);
            writer.WriteTextString("args");
            writer.WriteEncodedValue(tx.Args.Encoded.Span);
            writer.WriteTextString("type");
            writer.WriteTextString(tx.Type);
            writer.WriteTextString("chain");
            writer.WriteTextString(tx.Chain);
            writer.WriteEndMap();
            return TransactionCodec.SignedBytes(TransactionCodec.Parse(tx.Encoded)).AsSpan().SequenceEqual(writer.Encode());
        });
    }

    // The reference: every map written in reverse key order, for the canonical-mode writer to sort.
    private static byte[] CanonicalWriterEncoding(TransactionResult result)
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartMap(8);
        writer.WriteTextString("writes");
        writer.WriteByteString(result.WriteSetDigest.Span);
        writer.WriteTextString("status");
        writer.WriteTextString(result.Status == TransactionStatus.Committed ? "committed" : "rejected");
        writer.WriteTextString("message");
        WriteOptional(writer, result.Message);
        writer.WriteTextString("index");
        writer.WriteInt32(result.Index);
        writer.WriteTextString("height");
        writer.WriteInt64(result.Height);
        writer.WriteTextString("events");
        writer.WriteStartArray(result.Events.Count);
        foreach (var e in result.Events)
        {
            writer.WriteStartMap(2);
            writer.WriteTextString("attrs");
            writer.WriteStartMap(e.Attributes.Count);
            foreach (var (key, value) in e.Attributes.OrderByDescending(a => a.Key, StringComparer.Ordinal))
            {
                writer.WriteTextString(key);
                writer.WriteTextString(value);
            }
            writer.WriteEndMap();
            writer.WriteTextString("type");
            writer.WriteTextString(e.Type);
            writer.WriteEndMap();
        }
        writer.WriteEndArray();
        writer.WriteTextString("code");
        WriteOptional(writer, result.Code);
        writer.WriteTextString("tx");
        writer.WriteByteString(result.TransactionId.Span);
        writer.WriteEndMap();
        return writer.Encode();
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
}
