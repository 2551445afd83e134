using System.Globalization;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Identity;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.SupplyChain;

/// <summary>
/// The drug supply chain: manufacturers register products and commission serialized units; each unit has one
/// owner at a time and only the owner ships it; the receiver confirms against what was shipped; a recall
/// stops a whole lot at once; suspect product is quarantined, cleared or decommissioned; a pharmacy
/// dispenses only a package that verifies. Every step is appended to the unit's history (its trace).
/// </summary>
public sealed partial class SupplyChainContract : IContract
{
    /// <summary>Most units one transaction may commission (DSCSA-scale production batches).</summary>
    public const int MaxUnitsPerTransaction = 100_000;

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}$")]
    private static partial System.Text.RegularExpressions.Regex AtcPattern();

    private static readonly string[] Actions =
        ["register_product", "commission", "aggregate", "disaggregate", "ship", "receive", "recall", "quarantine", "clear", "decommission", "destroy", "dispense"];

    public string Name => "supply";

    public bool Handles(string action) => Actions.Contains(action);

    public void Execute(ContractCall call)
    {
        var actor = Actor(call);
        switch (call.Action)
        {
            case "register_product": RegisterProduct(call, actor); break;
            case "commission": Commission(call, actor); break;
            case "aggregate": Aggregate(call, actor); break;
            case "disaggregate": Disaggregate(call, actor); break;
            case "ship": Ship(call, actor); break;
            case "receive": Receive(call, actor); break;
            case "recall": Recall(call, actor); break;
            case "quarantine": ChangeStatus(call, actor, "quarantine", "quarantined", ["owned", "commissioned"], regulatorMay: true); break;
            case "clear": ChangeStatus(call, actor, "clear", "owned", ["quarantined"], regulatorMay: true, ownerMay: false); break;
            case "decommission": ChangeStatus(call, actor, "decommission", "decommissioned", ["owned", "commissioned", "quarantined"], regulatorMay: true); break;
            case "destroy": ChangeStatus(call, actor, "destroy", "destroyed", ["decommissioned", "quarantined"], regulatorMay: true); break;
            case "dispense": Dispense(call, actor); break;
        }
    }

    /// <summary>The organisation acting (its own key, or one of its members) and its kind.</summary>
    private sealed record Acting(string Organisation, string Kind, string Who);

    private static Acting Actor(ContractCall call)
    {
        var caller = Caller.Resolve(call.State, call.Transaction.Signer);
        if (caller is null || caller.Kind == "patient")
        {
            throw ContractCall.Reject(SupplyErrors.NotAuthorised, "Only organisations and their staff act in the supply chain.");
        }
        var org = StateJson.Read<OrganisationRecord>(call.State.Get(IdentityKeys.Organisation(caller.Organisation)))!;
        return new Acting(org.Id, org.Kind, caller.Id);
    }

    /// <summary><c>supply.register_product {gtin, nationalCode, name, strength, form, packSize, controlled?, atc?}</c>, by a manufacturer.</summary>
    private static void RegisterProduct(ContractCall call, Acting actor)
    {
        if (actor.Kind != "Manufacturer")
        {
            throw ContractCall.Reject(SupplyErrors.NotAuthorised, "Only a manufacturer registers products.");
        }
        var gtin = RequireGtin(call.Args.GetString("gtin"));
        if (call.State.Get(SupplyKeys.Product(gtin)) is not null)
        {
            throw ContractCall.Reject(SupplyErrors.ProductExists, $"GTIN {gtin} is already registered.");
        }
        var packSize = call.Args.GetInt64("packSize");
        if (packSize is < 1 or > 100_000)
        {
            throw ContractCall.Reject(SupplyErrors.BadArguments, "packSize must be between 1 and 100,000.");
        }
        var atc = call.Args.GetOptionalString("atc");
        if (atc is not null && !AtcPattern().IsMatch(atc))
        {
            throw ContractCall.Reject(SupplyErrors.BadArguments, "atc is a WHO ATC code such as A10BA02.");
        }
        var product = new ProductRecord(gtin, call.Args.GetString("nationalCode"), call.Args.GetString("name"), call.Args.GetString("strength"),
            call.Args.GetString("form"), (int)packSize, actor.Organisation, call.Args.Has("controlled") && call.Args.GetBoolean("controlled"), atc);
        call.State.Put(SupplyKeys.Product(gtin), StateJson.Write(product));
        call.Emit("supply.product_registered", ("gtin", gtin), ("manufacturer", actor.Organisation));
    }

    /// <summary>
    /// <c>supply.commission {gtin, lot, expiry: YYMMDD, serials: [..] | serialRange: {prefix, start, count, width}}</c>,
    /// by the product's manufacturer; at most <see cref="MaxUnitsPerTransaction"/> units, none existing.
    /// </summary>
    private static void Commission(ContractCall call, Acting actor)
    {
        var gtin = RequireGtin(call.Args.GetString("gtin"));
        var product = StateJson.Read<ProductRecord>(call.State.Get(SupplyKeys.Product(gtin)))
            ?? throw ContractCall.Reject(SupplyErrors.UnknownProduct, $"GTIN {gtin} is not registered.");
        if (product.Manufacturer != actor.Organisation)
        {
            throw ContractCall.Reject(SupplyErrors.NotAuthorised, $"Only {product.Manufacturer} commissions units of {gtin}.");
        }
        var lot = RequireText(call.Args.GetString("lot"), "lot");
        var expiry = RequireDate(call.Args.GetString("expiry"), call.Block.Timestamp);
        var serials = Serials(call.Args);
        var lotRecord = StateJson.Read<LotRecord>(call.State.Get(SupplyKeys.Lot(gtin, lot)));
        if (lotRecord is not null && lotRecord.Expiry != expiry)
        {
            throw ContractCall.Reject(SupplyErrors.BadArguments, $"Lot {lot} was commissioned with expiry {lotRecord.Expiry}, not {expiry}.");
        }
        if (lotRecord?.Status == "recalled")
        {
            throw ContractCall.Reject(SupplyErrors.AlreadyRecalled, $"Lot {lot} is recalled.");
        }
        var step = new UnitEvent("commissioning", actor.Organisation, call.Transaction.Id.ToString(), call.Block.Height, call.Block.Timestamp);
        foreach (var serial in serials)
        {
            if (call.State.Get(SupplyKeys.Unit(gtin, serial)) is not null)
            {
                throw ContractCall.Reject(SupplyErrors.UnitExists, $"Serial {serial} of {gtin} is already commissioned.");
            }
            call.State.Put(SupplyKeys.Unit(gtin, serial), StateJson.Write(
                new UnitRecord(gtin, serial, lot, expiry, actor.Organisation, "commissioned", null, null, null, [step])));
            call.State.Put(SupplyKeys.LotUnit(gtin, lot, serial), [1]);
        }
        var holders = new Dictionary<string, int>(lotRecord?.Holders ?? new Dictionary<string, int>());
        holders[actor.Organisation] = holders.GetValueOrDefault(actor.Organisation) + serials.Count;
        call.State.Put(SupplyKeys.Lot(gtin, lot), StateJson.Write(
            new LotRecord(gtin, lot, expiry, "active", null, holders, (lotRecord?.Units ?? 0) + serials.Count)));
        call.Emit("supply.commissioned", ("gtin", gtin), ("lot", lot), ("units", serials.Count.ToString(CultureInfo.InvariantCulture)));
    }

    private static List<string> Serials(Core.Encoding.TransactionArgs args)
    {
        List<string> serials;
        if (args.Has("serialRange"))
        {
            var range = args.GetObject("serialRange");
            var start = range.GetInt64("start");
            var count = range.GetInt64("count");
            var width = (int)range.GetInt64OrDefault("width", 0);
            var prefix = range.GetOptionalString("prefix") ?? "";
            if (count is < 1 or > MaxUnitsPerTransaction || start < 0 || width is < 0 or > 20)
            {
                throw ContractCall.Reject(SupplyErrors.TooManyUnits, $"A serial range has 1 to {MaxUnitsPerTransaction:N0} units, start ≥ 0, width ≤ 20.");
            }
            serials = new List<string>((int)count);
            for (var i = 0L; i < count; i++)
            {
                serials.Add(prefix + (start + i).ToString(CultureInfo.InvariantCulture).PadLeft(width, '0'));
            }
        }
        else
        {
            serials = [.. args.GetStringArray("serials")];
            if (serials.Count is 0 or > MaxUnitsPerTransaction)
            {
                throw ContractCall.Reject(SupplyErrors.TooManyUnits, $"Commission 1 to {MaxUnitsPerTransaction:N0} serials per transaction.");
            }
        }
        foreach (var serial in serials)
        {
            RequireText(serial, "serial");
        }
        if (serials.Distinct(StringComparer.Ordinal).Count() != serials.Count)
        {
            throw ContractCall.Reject(SupplyErrors.BadArguments, "A serial appears twice.");
        }
        return serials;
    }

    /// <summary>
    /// <c>supply.recall {gtin, lot, reason}</c>, by the manufacturer or a regulator: the whole lot at once (one
    /// write), a notice event for every organisation holding units of it.
    /// </summary>
    private static void Recall(ContractCall call, Acting actor)
    {
        var gtin = RequireGtin(call.Args.GetString("gtin"));
        var lotId = call.Args.GetString("lot");
        var product = StateJson.Read<ProductRecord>(call.State.Get(SupplyKeys.Product(gtin)))
            ?? throw ContractCall.Reject(SupplyErrors.UnknownProduct, $"GTIN {gtin} is not registered.");
        if (actor.Kind != "Regulator" && actor.Organisation != product.Manufacturer)
        {
            throw ContractCall.Reject(SupplyErrors.NotAuthorised, "Only the manufacturer or a regulator recalls a lot.");
        }
        var lot = StateJson.Read<LotRecord>(call.State.Get(SupplyKeys.Lot(gtin, lotId)))
            ?? throw ContractCall.Reject(SupplyErrors.UnknownLot, $"No lot {lotId} of {gtin}.");
        if (lot.Status == "recalled")
        {
            throw ContractCall.Reject(SupplyErrors.AlreadyRecalled, $"Lot {lotId} is already recalled.");
        }
        var reason = RequireText(call.Args.GetString("reason"), "reason", 200);
        call.State.Put(SupplyKeys.Lot(gtin, lotId), StateJson.Write(lot with { Status = "recalled", RecallReason = reason }));
        call.Emit("supply.recalled", ("gtin", gtin), ("lot", lotId), ("by", actor.Organisation), ("units", lot.Units.ToString(CultureInfo.InvariantCulture)));
        foreach (var (holder, units) in lot.Holders.Where(h => h.Value > 0).OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            call.Emit("supply.recall_notice", ("holder", holder), ("gtin", gtin), ("lot", lotId), ("units", units.ToString(CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>Quarantine, clear, decommission and destroy: <c>{gtin, serial, reason?}</c>.</summary>
    private static void ChangeStatus(ContractCall call, Acting actor, string step, string to, string[] from, bool regulatorMay, bool ownerMay = true)
    {
        var reference = SupplyKeys.Ref(RequireGtin(call.Args.GetString("gtin")), call.Args.GetString("serial"));
        var unit = Load(call, reference);
        var allowed = (ownerMay && unit.Owner == actor.Organisation) || (regulatorMay && actor.Kind == "Regulator");
        if (!allowed)
        {
            throw ContractCall.Reject(SupplyErrors.NotAuthorised, $"Only {(ownerMay ? "the owner or " : "")}a regulator may {step} {reference}.");
        }
        if (!from.Contains(unit.Status))
        {
            throw ContractCall.Reject(SupplyErrors.BadState, $"{reference} is {unit.Status}; it cannot be {to} from there.");
        }
        var reason = call.Args.GetOptionalString("reason");
        Save(call, unit with { Status = to }, step, actor, reason);
        if (to is "decommissioned" or "destroyed" && unit.Status != "decommissioned")
        {
            var lot = StateJson.Read<LotRecord>(call.State.Get(SupplyKeys.Lot(unit.Gtin, unit.Lot)))!;
            call.State.Put(SupplyKeys.Lot(unit.Gtin, unit.Lot), StateJson.Write(Move(lot, unit.Owner, null)));
        }
        call.Emit($"supply.{to}", ("gtin", unit.Gtin), ("serial", unit.Serial), ("by", actor.Organisation));
        if (step == "quarantine")
        {
            // Suspect product: regulators are told (DSCSA notification).
            call.Emit("supply.suspect_reported", ("gtin", unit.Gtin), ("serial", unit.Serial), ("lot", unit.Lot), ("by", actor.Organisation), ("notify", "Regulator"));
        }
    }

    /// <summary>
    /// <c>supply.dispense {gtin, serial}</c>, by the owning pharmacy or hospital: the package must verify (not
    /// recalled, expired, quarantined or already dispensed). Dispensing against a prescription goes through
    /// <c>rx.dispense</c>, which uses the same step.
    /// </summary>
    private static void Dispense(ContractCall call, Acting actor) =>
        DispenseUnit(call, actor.Organisation, RequireGtin(call.Args.GetString("gtin")), call.Args.GetString("serial"), null);

    /// <summary>Verifies a package and dispenses it from <paramref name="organisation"/>'s stock; a rejection says why not.</summary>
    internal static UnitRecord DispenseUnit(ContractCall call, string organisation, string gtin, string serial, string? prescription)
    {
        var verdict = Verification.Verify(call.State, gtin, serial, BlockDate(call));
        if (!verdict.Verified)
        {
            throw ContractCall.Reject($"supply.{verdict.Verdict}", verdict.Message);
        }
        var unit = verdict.Unit!;
        if (unit.Owner != organisation || unit.Status != "owned")
        {
            throw ContractCall.Reject(SupplyErrors.NotOwner, $"{SupplyKeys.Ref(gtin, serial)} is not in {organisation}'s stock.");
        }
        Save(call, unit with { Status = "dispensed", DispensedFor = prescription ?? "" }, "dispensing", new Acting(organisation, "", organisation), prescription);
        var lot = StateJson.Read<LotRecord>(call.State.Get(SupplyKeys.Lot(gtin, unit.Lot)))!;
        call.State.Put(SupplyKeys.Lot(gtin, unit.Lot), StateJson.Write(Move(lot, organisation, null)));
        call.Emit("supply.dispensed", ("gtin", gtin), ("serial", serial), ("by", organisation));
        return unit;
    }

    // Contracts see only the block's clock.
    private static DateOnly BlockDate(ContractCall call) => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(call.Block.Timestamp).UtcDateTime);

    private static IEnumerable<(string Reference, UnitRecord Unit)> OwnedUnits(ContractCall call, Acting actor, IEnumerable<string> references)
    {
        foreach (var reference in references)
        {
            var unit = Load(call, reference);
            if (unit.Owner != actor.Organisation)
            {
                throw ContractCall.Reject(SupplyErrors.NotOwner, $"{reference} belongs to {unit.Owner}; only its owner may move it.");
            }
            yield return (reference, unit);
        }
    }

    private static UnitRecord Load(ContractCall call, string reference)
    {
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && StateJson.Read<UnitRecord>(call.State.Get(SupplyKeys.Unit(reference[..slash], reference[(slash + 1)..]))) is { } unit
            ? unit
            : throw ContractCall.Reject(SupplyErrors.UnknownUnit, $"No unit {reference} (expected gtin/serial of a commissioned unit).");
    }

    private static void Save(ContractCall call, UnitRecord unit, string step, Acting actor, string? detail) =>
        call.State.Put(SupplyKeys.Unit(unit.Gtin, unit.Serial), StateJson.Write(unit with
        {
            History = [.. unit.History, new UnitEvent(step, actor.Organisation, call.Transaction.Id.ToString(), call.Block.Height, call.Block.Timestamp, detail)],
        }));

    private static bool IsRecalled(ContractCall call, UnitRecord unit) =>
        StateJson.Read<LotRecord>(call.State.Get(SupplyKeys.Lot(unit.Gtin, unit.Lot)))?.Status == "recalled";

    // One unit of a lot moves from one holder to another (or out of circulation when 'to' is null).
    private static LotRecord Move(LotRecord lot, string from, string? to)
    {
        var holders = new Dictionary<string, int>(lot.Holders);
        holders[from] = holders.GetValueOrDefault(from) - 1;
        if (holders[from] <= 0)
        {
            holders.Remove(from);
        }
        if (to is not null)
        {
            holders[to] = holders.GetValueOrDefault(to) + 1;
        }
        return lot with { Holders = holders };
    }

    private static string RequireGtin(string gtin) =>
        Gs1.IsValidGtin(gtin) ? gtin : throw ContractCall.Reject(SupplyErrors.BadGtin, $"'{gtin}' is not a GTIN-14 with a valid check digit.");

    private static string RequireSscc(string sscc) =>
        sscc.Length == 18 && sscc.All(char.IsAsciiDigit) && Gs1.CheckDigit(sscc.AsSpan(0, 17)) == sscc[17] - '0'
            ? sscc
            : throw ContractCall.Reject(SupplyErrors.BadArguments, $"'{sscc}' is not an SSCC (18 digits with a valid check digit).");

    private static string RequireText(string value, string what, int max = 20)
    {
        if (value.Length == 0 || value.Length > max || (max == 20 && value.Any(c => c is < '!' or > 'z')))
        {
            throw ContractCall.Reject(SupplyErrors.BadArguments, $"{what} must be 1 to {max} {(max == 20 ? "GS1 characters" : "characters")}.");
        }
        return value;
    }

    private static string RequireDate(string yymmdd, long blockTime)
    {
        try
        {
            var year = DateTimeOffset.FromUnixTimeMilliseconds(blockTime).Year;
            return Gs1.ParseDate(yymmdd, year).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        catch (Gs1Exception ex)
        {
            throw ContractCall.Reject(SupplyErrors.BadArguments, ex.Message);
        }
    }
}
