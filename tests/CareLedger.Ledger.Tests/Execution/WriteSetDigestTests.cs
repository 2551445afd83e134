using System.Formats.Cbor;
using CareLedger.Ledger.Execution;
using CsCheck;
using Hash = CareLedger.Core.Crypto.Hash;

namespace CareLedger.Ledger.Tests.Execution;

/// <summary>The write-set digest is hashed entry by entry; it must equal SHA-256 of the whole canonical array.</summary>
public class WriteSetDigestTests
{
    [Fact]
    public void Digest_equals_the_hash_of_the_canonical_array_of_writes()
    {
        var writes = Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 1, 40], Gen.Select(Gen.Byte.Array[0, 3000], Gen.Int[0, 4], (bytes, n) => n == 0 ? null : bytes))
            .List[0, 700]
            .Select(list => list.DistinctBy(w => w.Item1).OrderBy(w => w.Item1, StringComparer.Ordinal)
                .Select(w => KeyValuePair.Create(w.Item1, w.Item2)).ToList());
        writes.Sample(list =>
        {
            var writer = new CborWriter(CborConformanceMode.Canonical);
            writer.WriteStartArray(list.Count);
            foreach (var (key, value) in list)
            {
                writer.WriteStartArray(2);
                writer.WriteTextString(key);
                if (value is null)
                {
                    writer.WriteNull();
                }
                else
                {
                    writer.WriteByteString(value);
                }
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
            return StateOverlay.DigestOf(list) == Hash.Compute(writer.Encode());
        }, iter: 200);
    }
}
