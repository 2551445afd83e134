using System.Buffers.Text;
using System.IO.Compression;
using CareLedger.Core.Jose;

namespace CareLedger.Core.Tests.Jose;

public class BitstringStatusListTests
{
    [Fact]
    public void Set_bits_read_back_and_index_zero_is_the_left_most_bit_of_at_least_16_KiB()
    {
        var encoded = BitstringStatusList.Encode([0, 7, 8, 131_071]);
        Assert.StartsWith("u", encoded, StringComparison.Ordinal);
        using var gzip = new GZipStream(new MemoryStream(Base64Url.DecodeFromChars(encoded.AsSpan(1))), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        gzip.CopyTo(raw);
        var bytes = raw.ToArray();
        Assert.Equal(16_384, bytes.Length);
        Assert.Equal((0x81, 0x80, 0x01), (bytes[0], bytes[1], bytes[^1]));
        Assert.All(new[] { 0, 7, 8, 131_071 }, i => Assert.True(BitstringStatusList.IsSet(encoded, i)));
        Assert.All(new[] { 1, 6, 9, 131_070 }, i => Assert.False(BitstringStatusList.IsSet(encoded, i)));
    }

    [Theory]
    [InlineData("zAAAA")]
    [InlineData("u!!!")]
    [InlineData("uAAAA")]
    public void A_list_that_does_not_decode_is_a_malformed_status(string encoded) =>
        Assert.Equal(JoseException.Malformed, Assert.Throws<JoseException>(() => BitstringStatusList.IsSet(encoded, 0)).Code);

    [Fact]
    public void An_index_outside_the_list_is_refused()
    {
        Assert.Throws<JoseException>(() => BitstringStatusList.IsSet(BitstringStatusList.Encode([]), 131_072));
        Assert.Throws<ArgumentOutOfRangeException>(() => BitstringStatusList.Encode([-1]));
    }
}
