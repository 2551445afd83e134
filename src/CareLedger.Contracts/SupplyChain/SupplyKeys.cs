namespace CareLedger.Contracts.SupplyChain;

/// <summary>State keys of the supply chain contract.</summary>
public static class SupplyKeys
{
    public static string Product(string gtin) => $"supply/product/{gtin}";

    public static string Unit(string gtin, string serial) => $"supply/unit/{gtin}/{serial}";

    public static string Lot(string gtin, string lot) => $"supply/lot/{gtin}/{lot}";

    /// <summary>One key per unit of a lot, so that a lot's genealogy is a prefix scan.</summary>
    public static string LotUnit(string gtin, string lot, string serial) => $"{LotUnitPrefix(gtin, lot)}{serial}";

    public static string LotUnitPrefix(string gtin, string lot) => $"supply/lotunit/{gtin}/{lot}/";

    public static string Shipment(string id) => $"supply/shipment/{id}";

    public static string Container(string sscc) => $"supply/container/{sscc}";

    /// <summary>The unit reference used in shipments and containers: <c>{gtin}/{serial}</c>.</summary>
    public static string Ref(string gtin, string serial) => $"{gtin}/{serial}";
}
