namespace CareLedger.Contracts.SupplyChain.Epcis;

/// <summary>
/// EPC URNs (TDS 2.x: <c>urn:epc:id:sgtin|sscc|sgln|pgln|grai|giai|gdti</c>, <c>urn:epc:class:lgtin</c>) to canonical GS1 Digital
/// Link URIs on <c>https://id.gs1.org</c>, as the CBV 2.0 event hash requires; and back from our units.
/// </summary>
public static class EpcIdentifiers
{
    private const string Resolver = "https://id.gs1.org";

    /// <summary>The canonical Digital Link of a unit.</summary>
    public static string UnitLink(string gtin, string serial) => $"{Resolver}/01/{gtin}/21/{Uri.EscapeDataString(serial)}";

    /// <summary>The canonical Digital Link of an SSCC.</summary>
    public static string SsccLink(string sscc) => $"{Resolver}/00/{sscc}";

    /// <summary>An identifier as a canonical Digital Link when it is an EPC URN; other URIs unchanged.</summary>
    public static string Normalise(string id)
    {
        var value = id.Trim();
        if (!value.StartsWith("urn:epc:", StringComparison.Ordinal))
        {
            return value;
        }
        var colon = value.LastIndexOf(':');
        var scheme = value[..colon];
        var parts = value[(colon + 1)..].Split('.');
        return (scheme, parts) switch
        {
            ("urn:epc:id:sgtin", [var prefix, var itemRef, var serial]) => UnitLink(Gtin(prefix, itemRef), Uri.UnescapeDataString(serial)),
            ("urn:epc:class:lgtin", [var prefix, var itemRef, var lot]) => $"{Resolver}/01/{Gtin(prefix, itemRef)}/10/{lot}",
            ("urn:epc:idpat:sgtin", [var prefix, var itemRef, "*"]) => $"{Resolver}/01/{Gtin(prefix, itemRef)}",
            ("urn:epc:id:sscc", [var prefix, var serialRef]) when serialRef.Length > 0 =>
                SsccLink(WithCheckDigit(serialRef[0] + prefix + serialRef[1..])),
            ("urn:epc:id:sgln", [var prefix, var location, var extension]) =>
                $"{Resolver}/414/{WithCheckDigit(prefix + location)}" + (extension == "0" ? "" : $"/254/{extension}"),
            ("urn:epc:id:pgln", [var prefix, var party]) => $"{Resolver}/417/{WithCheckDigit(prefix + party)}",
            // Returnable asset (AI 8003): a 0, the company prefix and asset type with their check digit, then the serial.
            ("urn:epc:id:grai", [var prefix, var assetType, var serial]) => $"{Resolver}/8003/{WithCheckDigit("0" + prefix + assetType)}{Uri.UnescapeDataString(serial)}",
            ("urn:epc:id:giai", [var prefix, var asset]) => $"{Resolver}/8004/{prefix}{Uri.UnescapeDataString(asset)}",
            // Document (AI 253): company prefix and document type with their check digit, then the serial.
            ("urn:epc:id:gdti", [var prefix, var documentType, var serial]) => $"{Resolver}/253/{WithCheckDigit(prefix + documentType)}{Uri.UnescapeDataString(serial)}",
            _ => throw new EpcisException("epcis.bad_epc", $"'{id}' is not an EPC URN this node understands (sgtin, sscc, sgln, pgln, grai, giai, gdti, lgtin)."),
        };
    }

    /// <summary>The GTIN and serial of a unit identifier (EPC URN or Digital Link), or null when it names no unit.</summary>
    public static (string Gtin, string Serial)? Unit(string id)
    {
        var link = Normalise(id);
        var prefix = $"{Resolver}/01/";
        if (!link.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var rest = link[prefix.Length..].Split('/');
        return rest is [var gtin, "21", var serial] ? (gtin, Uri.UnescapeDataString(serial)) : null;
    }

    // GTIN-14 = indicator digit (first of the item reference) + company prefix + rest of the item reference + check digit.
    private static string Gtin(string prefix, string itemRef)
    {
        if (itemRef.Length == 0 || prefix.Length + itemRef.Length != 13 || !(prefix + itemRef).All(char.IsAsciiDigit))
        {
            throw new EpcisException("epcis.bad_epc", $"Company prefix {prefix} and item reference {itemRef} do not make a GTIN.");
        }
        return WithCheckDigit(itemRef[0] + prefix + itemRef[1..]);
    }

    private static string WithCheckDigit(string digits) =>
        digits.All(char.IsAsciiDigit)
            ? digits + Gs1.CheckDigit(digits).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : throw new EpcisException("epcis.bad_epc", $"'{digits}' is not numeric.");
}
