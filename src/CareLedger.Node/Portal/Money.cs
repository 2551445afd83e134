using System.Globalization;

namespace CareLedger.Node.Portal;

/// <summary>Amounts as the ledger keeps them (integer minor units) written for people: "123.45 USD".</summary>
public static class Money
{
    public static string Format(long minor, string currency) => (minor / 100m).ToString("0.00", CultureInfo.InvariantCulture) + " " + currency;
}
