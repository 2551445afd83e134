using CareLedger.Contracts.SupplyChain;

namespace CareLedger.Ledger.Tests.SupplyChain;

public class Gs1Tests
{
    private const int Year = 2026;

    [Theory]
    [InlineData("(01)09506000134352(17)301231(10)ABC123(21)SN0001")]
    [InlineData("]d20109506000134352173012311" + "0ABC123\u001d21SN0001")]
    [InlineData("]C10109506000134352173012311" + "0ABC123\u001d21SN0001")]
    [InlineData("]e00109506000134352173012311" + "0ABC123\u001d21SN0001")]
    [InlineData("0109506000134352173012311" + "0ABC123\u001d21SN0001")]
    [InlineData("(01)09506000134352(21)SN0001(17)301231(10)ABC123(21)SN0001")]
    [InlineData("https://id.gs1.org/01/09506000134352/10/ABC123/21/SN0001?17=301231")]
    public void The_three_forms_give_the_same_identifier(string data)
    {
        var code = Gs1.Parse(data, Year);
        Assert.Equal(("09506000134352", "SN0001", "ABC123", new DateOnly(2030, 12, 31)), (code.Gtin, code.Serial, code.Lot, code.Expiry));
    }

    [Fact]
    public void Day_00_is_the_last_day_of_the_month_and_the_century_follows_the_sliding_window()
    {
        Assert.Equal(new DateOnly(2028, 2, 29), Gs1.ParseDate("280200", Year));
        Assert.Equal(new DateOnly(2027, 2, 28), Gs1.ParseDate("270200", Year));
        Assert.Equal(new DateOnly(1980, 1, 1), Gs1.ParseDate("800101", Year));   // 54 years ahead → last century
        Assert.Equal(new DateOnly(2075, 1, 1), Gs1.ParseDate("750101", Year));   // 49 years ahead → this century
    }

    [Theory]
    [InlineData("", "gs1.empty")]
    [InlineData("(01)09506000134353(21)1", "gs1.bad_check_digit")]
    [InlineData("(01)0950600013435(21)1", "gs1.bad_length")]
    [InlineData("(17)301301", "gs1.bad_date")]
    [InlineData("(17)300231", "gs1.bad_date")]
    [InlineData("(23)ABC", "gs1.unknown_ai")]
    [InlineData("(10)ABCDEFGHIJKLMNOPQRSTU", "gs1.bad_length")]
    [InlineData("(21)AB CD", "gs1.bad_characters")]
    [InlineData("(01)09506000134352(21)1(21)2", "gs1.duplicate_ai")]
    [InlineData("(21)S1", "gs1.missing_ai")]
    [InlineData("(10)L1(17)301231", "gs1.missing_ai")]
    [InlineData("(02)09506000134352", "gs1.missing_ai")]
    [InlineData("(01)09506000134352(11)300100", "gs1.bad_date")]
    [InlineData("(01)09506000134352(7003)3012312460", "gs1.bad_date")]
    [InlineData("(01)09506000134352(3103)0005A0", "gs1.bad_characters")]
    [InlineData("(414)095060001343", "gs1.bad_length")]
    [InlineData("(414)0950600013435", "gs1.bad_check_digit")]
    [InlineData("https://id.gs1.org/01/09506000134352/21/S1/10/L1", "gs1.bad_uri")]
    [InlineData("https://id.gs1.org/01/09506000134352/17/301231", "gs1.bad_uri")]
    [InlineData("https://id.gs1.org/01/09506000134352/21/S1?10=L1", "gs1.bad_uri")]
    [InlineData("(01", "gs1.malformed")]
    [InlineData("]d22309506000134352", "gs1.unknown_ai")]
    [InlineData("]d201095060001343", "gs1.bad_length")]
    [InlineData("https://id.gs1.org/01/09506000134352/10", "gs1.bad_uri")]
    [InlineData("https://example.com/product/42", "gs1.bad_uri")]
    public void Bad_data_is_refused_with_a_stable_code(string data, string code)
    {
        var ex = Assert.Throws<Gs1Exception>(() => Gs1.Parse(data, Year));
        Assert.Equal(code, ex.Code);
    }

    [Fact]
    public void AIs_from_the_table_parse_in_every_form_and_Digital_Link_attributes_come_from_the_query()
    {
        var code = Gs1.Parse("https://id.gs1.org/01/09506000134352/22/2A/10/L1/21/S1?3103=000500&17=301231&linkType=gs1:pip", Year);
        Assert.Equal([("01", "09506000134352"), ("22", "2A"), ("10", "L1"), ("21", "S1"), ("3103", "000500"), ("17", "301231")],
            code.Elements.Select(e => (e.Key, e.Value)));
        // Variable-length AIs end at GS in a raw scan; a 4-digit AI and a 3-digit one are found by the table.
        var raw = Gs1.Parse("]d2010950600013435231030005001001234\u001d715NDC-12345-678\u001d400PO-77\u001d99INTERNAL", Year);
        Assert.Equal([("01", "09506000134352"), ("3103", "000500"), ("10", "01234"), ("715", "NDC-12345-678"), ("400", "PO-77"), ("99", "INTERNAL")],
            raw.Elements.Select(e => (e.Key, e.Value)));
        Assert.Equal("(414)0950600013439(99)X", Gs1.Parse("(414)0950600013439(99)X", Year).ToString());
        Assert.Equal(new DateOnly(2030, 12, 31), Gs1.Parse("(01)09506000134352(17)301200(7003)3012312359", Year).Expiry);
    }

    [Fact]
    public void Check_digits_follow_the_GS1_mod_10_rule()
    {
        Assert.True(Gs1.IsValidGtin("09506000134352"));
        Assert.False(Gs1.IsValidGtin("09506000134359"));
        Assert.Equal(2, Gs1.CheckDigit("0950600013435"));
        Assert.Equal(8, Gs1.CheckDigit("10614141234567890"));   // GS1's example SSCC 106141412345678908
    }
}
