using System.CommandLine;
using CareLedger.Contracts.SupplyChain;

namespace CareLedger.Cli.Commands;

/// <summary><c>gs1 parse</c>: GS1 element strings, raw scans and Digital Link URIs to JSON, offline.</summary>
internal static class Gs1Commands
{
    public static Command Create(CliOutput output)
    {
        var data = new Argument<string>("DATA") { Description = "(01)…(17)…(10)…(21)…, a raw scan (]d2…, GS as \\x1D or the character itself), or a GS1 Digital Link URI." };
        var parse = new Command("parse", "Print the application identifiers as JSON; exit 1 with the reason if the data is invalid.") { data };
        parse.SetAction(p =>
        {
            var text = p.GetValue(data)!.Replace("\\x1D", "\u001d", StringComparison.OrdinalIgnoreCase).Replace("\\x1d", "\u001d", StringComparison.Ordinal);
            try
            {
                var code = Gs1.Parse(text, DateTime.UtcNow.Year);
                output.Json(new
                {
                    elements = code.Elements.ToDictionary(e => e.Key, e => e.Value),
                    gtin = code.Gtin,
                    serial = code.Serial,
                    lot = code.Lot,
                    expiry = code.Expiry?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    sscc = code.Sscc,
                    elementString = code.ToString(),
                });
                return ExitCodes.Ok;
            }
            catch (Gs1Exception ex)
            {
                return output.Fail(ExitCodes.Invalid, $"{ex.Code}: {ex.Message}");
            }
        });
        var gs1 = new Command("gs1", "GS1 identifiers on medicine packages.");
        gs1.Subcommands.Add(parse);
        return gs1;
    }
}
