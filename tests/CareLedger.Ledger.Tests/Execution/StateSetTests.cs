using CareLedger.Core.Crypto;
using CareLedger.Core.Encoding;
using CareLedger.Ledger.Audit;
using CareLedger.Ledger.Execution;

namespace CareLedger.Ledger.Tests.Execution;

public class StateSetTests
{
    [Theory]
    [InlineData("k", 0)]
    [InlineData("notary/ab", 23)]
    [InlineData("ß-ключ", 24)]
    [InlineData("x", 300)]
    [InlineData("y", 70_000)]
    public void An_element_is_the_canonical_CBOR_of_key_and_value(string key, int valueLength)
    {
        var value = Enumerable.Range(0, valueLength).Select(i => (byte)i).ToArray();
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(2);
        writer.WriteTextString(key);
        writer.WriteByteString(value);
        writer.WriteEndArray();
        Assert.Equal(writer.Encode(), StateSet.Element(key, value));
    }

    [Fact]
    public void A_block_of_many_writes_moves_the_hash_as_the_sum_of_the_state_after_it()
    {
        var before = new MemoryState();
        before.Apply(Enumerable.Range(0, 500).Select(i => KeyValuePair.Create($"k/{i}", (byte[]?)[(byte)i])), 1);
        var hash = StateSet.Of(Enumerable.Range(0, 500).Select(i => KeyValuePair.Create($"k/{i}", new[] { (byte)i })));
        // 1,000 writes (summed on every core): 300 overwrites, 100 deletions, 600 new keys.
        var writes = new SortedDictionary<string, byte[]?>(StringComparer.Ordinal);
        for (var i = 0; i < 300; i++)
        {
            writes[$"k/{i}"] = [9, (byte)i];
        }
        for (var i = 300; i < 400; i++)
        {
            writes[$"k/{i}"] = null;
        }
        for (var i = 0; i < 600; i++)
        {
            writes[$"new/{i}"] = [(byte)i];
        }
        StateSet.Apply(hash, writes, before);
        before.Apply(writes, 2);
        var after = before.Keys.Select(k => KeyValuePair.Create(k, before.Get(k)!));
        Assert.Equal(StateSet.Of(after).Checksum(), hash.Checksum());
        Assert.NotEqual(LatticeHash.EmptyChecksum, hash.Checksum());
    }
}
