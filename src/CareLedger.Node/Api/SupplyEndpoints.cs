using CareLedger.Contracts;
using CareLedger.Contracts.SupplyChain;
using CareLedger.Contracts.SupplyChain.Epcis;

namespace CareLedger.Node.Api;

/// <summary>Package verification, unit trace, lot genealogy (and their EPCIS documents) and products of the drug supply chain.</summary>
internal static class SupplyEndpoints
{
    private const int MaxGenealogyUnits = 200_000;
    private const int MaxDocumentUnits = 10_000;
    private const string EpcisMediaType = "application/ld+json";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/supply/verify", Verify)
            .WithSummary("Is this package genuine and saleable? ?code= a GS1 element string, raw DataMatrix scan or GS1 Digital Link")
            .Produces<VerifyView>();
        api.MapGet("/supply/units/{gtin}/{serial}", (string gtin, string serial, LedgerNode node) =>
                StateJson.Read<UnitRecord>(node.Engine.State.Get(SupplyKeys.Unit(gtin, serial))) is { } unit
                    ? Results.Ok(unit)
                    : Problems.NotFound($"Unit {gtin}/{serial}"))
            .WithSummary("A unit with its complete history (its trace)").Produces<UnitRecord>();
        api.MapGet("/supply/units/{gtin}/{serial}/epcis", (string gtin, string serial, LedgerNode node) =>
                StateJson.Read<UnitRecord>(node.Engine.State.Get(SupplyKeys.Unit(gtin, serial))) is { } unit
                    ? Results.Json(EpcisExport.Document([unit], DateTimeOffset.UtcNow), contentType: EpcisMediaType)
                    : Problems.NotFound($"Unit {gtin}/{serial}"))
            .WithSummary("A unit's trace as an EPCIS 2.0 JSON-LD document (event IDs are CBV 2.0 hash IDs)");
        api.MapGet("/supply/lots/{gtin}/{lot}/epcis", LotDocument)
            .WithSummary($"The trace of every unit of a lot (up to 10,000 units) as an EPCIS 2.0 JSON-LD document");
        api.MapGet("/supply/lots/{gtin}/{lot}", Genealogy)
            .WithSummary("A lot: expiry, recall status, and where every unit of it is now (owner and status counts)")
            .Produces<LotView>();
        api.MapGet("/supply/products/{gtin}", (string gtin, LedgerNode node) =>
                StateJson.Read<ProductRecord>(node.Engine.State.Get(SupplyKeys.Product(gtin))) is { } product
                    ? Results.Ok(product)
                    : Problems.NotFound($"Product {gtin}"))
            .WithSummary("A registered product").Produces<ProductRecord>();
    }

    private static IResult Verify(string? code, LedgerNode node, TimeProvider clock)
    {
        try
        {
            var (parsed, result) = Verification.VerifyScan(node.Engine.State, code ?? "", clock.GetUtcNow());
            return Results.Ok(new VerifyView(result.Verdict, result.Message, parsed.Gtin, parsed.Serial, result.Unit?.Lot, result.Unit?.Expiry,
                result.Unit?.Status, result.Unit?.Owner));
        }
        catch (Gs1Exception ex)
        {
            return Problems.Of(ex.Code, ex.Message);
        }
    }

    private static IResult LotDocument(string gtin, string lot, LedgerNode node)
    {
        if (node.Engine.State.Get(SupplyKeys.Lot(gtin, lot)) is null)
        {
            return Problems.NotFound($"Lot {lot} of {gtin}");
        }
        var units = LotUnits(node, gtin, lot, MaxDocumentUnits + 1);
        if (units.Count > MaxDocumentUnits)
        {
            return Problems.Of("supply.lot_too_large", $"The lot has more than {MaxDocumentUnits:N0} units; export units one by one or use the genealogy.",
                StatusCodes.Status413PayloadTooLarge);
        }
        return Results.Json(EpcisExport.Document(units, DateTimeOffset.UtcNow), contentType: EpcisMediaType);
    }

    private static IResult Genealogy(string gtin, string lot, LedgerNode node)
    {
        if (StateJson.Read<LotRecord>(node.Engine.State.Get(SupplyKeys.Lot(gtin, lot))) is not { } record)
        {
            return Problems.NotFound($"Lot {lot} of {gtin}");
        }
        var whereabouts = LotUnits(node, gtin, lot, MaxGenealogyUnits)
            .GroupBy(u => (u.Owner, u.Status))
            .Select(g => new WhereaboutsView(g.Key.Owner, g.Key.Status, g.Count()))
            .OrderBy(w => w.Owner, StringComparer.Ordinal).ThenBy(w => w.Status, StringComparer.Ordinal)
            .ToList();
        return Results.Ok(new LotView(record.Gtin, record.Lot, record.Expiry, record.Status, record.RecallReason, record.Units, whereabouts));
    }

    // The lot's units, found through their per-unit lot markers (at most 'limit').
    private static List<UnitRecord> LotUnits(LedgerNode node, string gtin, string lot, int limit)
    {
        var prefix = SupplyKeys.LotUnitPrefix(gtin, lot);
        return node.Store.ScanState(prefix, limit)
            .Select(row => StateJson.Read<UnitRecord>(node.Engine.State.Get(SupplyKeys.Unit(gtin, row.Key[prefix.Length..])))!).ToList();
    }

    /// <summary>A verification verdict (<c>verified</c>, <c>unknown_serial</c>, <c>recalled</c>, …) and what the ledger knows of the unit.</summary>
    public sealed record VerifyView(string Verdict, string Message, string? Gtin, string? Serial, string? Lot, string? Expiry, string? Status, string? Owner);

    /// <summary>A lot and where its units are.</summary>
    public sealed record LotView(string Gtin, string Lot, string Expiry, string Status, string? RecallReason, int Units, IReadOnlyList<WhereaboutsView> Whereabouts);

    /// <summary>How many units of a lot an organisation holds in a status.</summary>
    public sealed record WhereaboutsView(string Owner, string Status, int Units);
}
