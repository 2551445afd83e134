using CareLedger.Contracts.SupplyChain;

namespace CareLedger.Ledger.Tests.SupplyChain;

public class Gs1Tests
{
    private const int Year = 2026;

    [Theory]
    [InlineData("(01)09506000134352(17)301231(10)ABC123(21)SN0001")]
    [InlineData("]d20109506000134352173012311" + "0ABC123\u001d21SN0001")]
    [InlineData("0109506000134352173012311" + "0ABC123\u001d21SN0001")]
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
    [InlineData("(99)ABC", "gs1.unknown_ai")]
    [InlineData("(10)ABCDEFGHIJKLMNOPQRSTU", "gs1.bad_length")]
    [InlineData("(21)AB CD", "gs1.bad_characters")]
    [InlineData("(21)1(21)2", "gs1.duplicate_ai")]
    [InlineData("(01", "gs1.malformed")]
    [InlineData("]d29909506000134352", "gs1.unknown_ai")]
    [InlineData("]d201095060001343", "gs1.bad_length")]
    [InlineData("https://id.gs1.org/01/09506000134352/10", "gs1.bad_uri")]
    [InlineData("https://example.com/product/42", "gs1.bad_uri")]
    public void Bad_data_is_refused_with_a_stable_code(string data, string code)
    {
        var ex = Assert.Throws<Gs1Exception>(() => Gs1.Parse(data, Year));
        Assert.Equal(code, ex.Code);
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
