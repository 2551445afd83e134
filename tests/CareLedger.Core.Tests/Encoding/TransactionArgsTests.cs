using System.Formats.Cbor;
using CareLedger.Core.Encoding;

namespace CareLedger.Core.Tests.Encoding;

public class TransactionArgsTests
{
    [Fact]
    public void Json_and_cbor_round_trip_and_the_encoding_is_canonical()
    {
        var args = TransactionArgs.FromJson("""{"zeta":1,"a":"x","list":["p","q"],"nested":{"b":true,"a":null},"n":-5}""");
        var again = TransactionArgs.Parse(args.Encoded);
        Assert.Equal(args.Encoded.ToArray(), again.Encoded.ToArray());
        Assert.Equal("x", again.GetString("a"));
        Assert.Equal(-5, again.GetInt64("n"));
        Assert.Equal(["p", "q"], again.GetStringArray("list"));
        // Key order in the JSON does not matter: canonical CBOR sorts keys.
        var reordered = TransactionArgs.FromJson("""{"n":-5,"nested":{"a":null,"b":true},"list":["p","q"],"a":"x","zeta":1}""");
        Assert.Equal(args.Encoded.ToArray(), reordered.Encoded.ToArray());
    }

    [Fact]
    public void Floating_point_and_non_objects_are_refused()
    {
        Assert.Throws<FormatException>(() => TransactionArgs.FromJson("""{"amount":1.5}"""));
        Assert.Throws<FormatException>(() => TransactionArgs.FromJson("[1,2]"));
        Assert.Throws<FormatException>(() => TransactionArgs.FromJson("{"));
    }

    [Fact]
    public void Non_canonical_cbor_is_refused()
    {
        // {"a": 1} with the integer in a needlessly long form (0x18 0x01).
        Assert.ThrowsAny<Exception>(() => TransactionArgs.Parse(new byte[] { 0xA1, 0x61, 0x61, 0x18, 0x01 }));
        // Keys out of order: {"b":1, "a":2}.
        Assert.ThrowsAny<Exception>(() => TransactionArgs.Parse(new byte[] { 0xA2, 0x61, 0x62, 0x01, 0x61, 0x61, 0x02 }));
        // Indefinite-length map.
        Assert.ThrowsAny<Exception>(() => TransactionArgs.Parse(new byte[] { 0xBF, 0x61, 0x61, 0x01, 0xFF }));
    }

    [Fact]
    public void Missing_or_mistyped_arguments_name_the_argument()
    {
        var args = TransactionArgs.FromJson("""{"a":"x"}""");
        Assert.Contains("'b'", Assert.Throws<FormatException>(() => args.GetString("b")).Message);
        Assert.Contains("'a'", Assert.Throws<FormatException>(() => args.GetInt64("a")).Message);
    }

    [Fact]
    public void Byte_strings_and_floats_in_cbor_are_refused()
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartMap(1);
        w.WriteTextString("a");
        w.WriteByteString([1, 2]);
        w.WriteEndMap();
        Assert.Throws<FormatException>(() => TransactionArgs.Parse(w.Encode()));
    }
}
