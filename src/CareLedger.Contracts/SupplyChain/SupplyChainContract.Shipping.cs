using System.Globalization;
using CareLedger.Contracts.Identity;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.SupplyChain;

/// <summary>Movements of units: packing into and out of containers (SSCC), shipping by the owner, receipt by the addressee.</summary>
public sealed partial class SupplyChainContract
{
    /// <summary><c>supply.aggregate {sscc, units: ["gtin/serial"]}</c>: pack units the caller owns into a case or pallet.</summary>
    private static void Aggregate(ContractCall call, Acting actor)
    {
        var sscc = RequireSscc(call.Args.GetString("sscc"));
        if (call.State.Get(SupplyKeys.Container(sscc)) is not null)
        {
            throw ContractCall.Reject(SupplyErrors.BadArguments, $"SSCC {sscc} is already packed.");
        }
        var refs = call.Args.GetStringArray("units");
        if (refs.Count is 0 or > MaxUnitsPerTransaction || refs.Distinct(StringComparer.Ordinal).Count() != refs.Count)
        {
            throw ContractCall.Reject(SupplyErrors.BadArguments, "Pack 1 to 100,000 distinct units.");
        }
        foreach (var (reference, unit) in OwnedUnits(call, actor, refs))
        {
            if (unit.Container is not null)
            {
                throw ContractCall.Reject(SupplyErrors.BadState, $"{reference} is already packed in {unit.Container}.");
            }
            Save(call, unit with { Container = sscc }, "packing", actor, sscc);
        }
        call.State.Put(SupplyKeys.Container(sscc), StateJson.Write(new ContainerRecord(sscc, actor.Organisation, refs)));
        call.Emit("supply.aggregated", ("sscc", sscc), ("units", refs.Count.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary><c>supply.disaggregate {sscc}</c>, by the container's owner.</summary>
    private static void Disaggregate(ContractCall call, Acting actor)
    {
        var sscc = RequireSscc(call.Args.GetString("sscc"));
        var container = StateJson.Read<ContainerRecord>(call.State.Get(SupplyKeys.Container(sscc)))
            ?? throw ContractCall.Reject(SupplyErrors.UnknownContainer, $"SSCC {sscc} packs nothing.");
        foreach (var (_, unit) in OwnedUnits(call, actor, container.Units))
        {
            Save(call, unit with { Container = null }, "unpacking", actor, sscc);
        }
        call.State.Delete(SupplyKeys.Container(sscc));
        call.Emit("supply.disaggregated", ("sscc", sscc));
    }

    /// <summary>
    /// <c>supply.ship {to, units?: [...], containers?: [sscc], transactionInformation, transactionStatement}</c>:
    /// only the owner ships, only saleable units; the shipment id is the transaction id.
    /// </summary>
    private static void Ship(ContractCall call, Acting actor)
    {
        var to = call.Args.GetString("to");
        if (StateJson.Read<OrganisationRecord>(call.State.Get(IdentityKeys.Organisation(to))) is not { Status: "active" } || to == actor.Organisation)
        {
            throw ContractCall.Reject(SupplyErrors.BadArguments, $"'{to}' is not another active organisation.");
        }
        var refs = call.Args.GetStringArrayOrEmpty("units").ToList();
        foreach (var sscc in call.Args.GetStringArrayOrEmpty("containers"))
        {
            var container = StateJson.Read<ContainerRecord>(call.State.Get(SupplyKeys.Container(sscc)))
                ?? throw ContractCall.Reject(SupplyErrors.UnknownContainer, $"SSCC {sscc} packs nothing.");
            refs.AddRange(container.Units);
        }
        if (refs.Count is 0 or > MaxUnitsPerTransaction || refs.Distinct(StringComparer.Ordinal).Count() != refs.Count)
        {
            throw ContractCall.Reject(SupplyErrors.BadArguments, "Ship 1 to 100,000 distinct units (directly or in containers).");
        }
        var information = RequireText(call.Args.GetString("transactionInformation"), "transactionInformation", 128);
        var statement = RequireText(call.Args.GetString("transactionStatement"), "transactionStatement", 128);
        var id = call.Transaction.Id.ToString();
        foreach (var (reference, unit) in OwnedUnits(call, actor, refs))
        {
            if (unit.Status is not ("owned" or "commissioned") || IsRecalled(call, unit))
            {
                throw ContractCall.Reject(SupplyErrors.NotSaleable, $"{reference} is {(IsRecalled(call, unit) ? "recalled" : unit.Status)}; it cannot be shipped.");
            }
            Save(call, unit with { Status = "in_transit", Shipment = id }, "shipping", actor, to);
        }
        call.State.Put(SupplyKeys.Shipment(id), StateJson.Write(new ShipmentRecord(id, actor.Organisation, to, refs, information, statement, "in_transit", [])));
        call.Emit("supply.shipped", ("shipment", id), ("from", actor.Organisation), ("to", to), ("units", refs.Count.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// <c>supply.receive {shipment, units: [...]}</c>, by the receiver: every unit received must have been in the
    /// shipment; units shipped but not received are recorded as a discrepancy and stay in transit.
    /// </summary>
    private static void Receive(ContractCall call, Acting actor)
    {
        var id = call.Args.GetString("shipment");
        var shipment = StateJson.Read<ShipmentRecord>(call.State.Get(SupplyKeys.Shipment(id)))
            ?? throw ContractCall.Reject(SupplyErrors.UnknownShipment, $"No shipment {id}.");
        if (shipment.To != actor.Organisation)
        {
            throw ContractCall.Reject(SupplyErrors.NotReceiver, $"Shipment {id} is addressed to {shipment.To}.");
        }
        if (shipment.Status != "in_transit")
        {
            throw ContractCall.Reject(SupplyErrors.AlreadyReceived, $"Shipment {id} was already received.");
        }
        var received = call.Args.GetStringArray("units");
        var shipped = shipment.Units.ToHashSet(StringComparer.Ordinal);
        if (received.FirstOrDefault(r => !shipped.Contains(r)) is { } stranger)
        {
            throw ContractCall.Reject(SupplyErrors.NotShipped, $"{stranger} was not in shipment {id}; nothing was received.");
        }
        if (received.Distinct(StringComparer.Ordinal).Count() != received.Count)
        {
            throw ContractCall.Reject(SupplyErrors.BadArguments, "A unit appears twice.");
        }
        var lots = new Dictionary<string, LotRecord>(StringComparer.Ordinal);
        var today = BlockDate(call);
        foreach (var reference in received)
        {
            var unit = Load(call, reference);
            // A saleable return (back to an organisation that held it before) is verified before it re-enters
            // stock; one that does not verify is received into quarantine, not into saleable stock.
            var isReturn = unit.History.Any(h => h.Organisation == actor.Organisation);
            var verdict = isReturn ? Verification.Verify(call.State, unit.Gtin, unit.Serial, today, unit with { Status = "owned" }) : null;
            var status = verdict is { Verified: false } ? "quarantined" : "owned";
            Save(call, unit with { Owner = actor.Organisation, Status = status, Shipment = null }, isReturn ? "receiving_return" : "receiving", actor, shipment.From);
            if (status == "quarantined")
            {
                call.Emit("supply.return_quarantined", ("gtin", unit.Gtin), ("serial", unit.Serial), ("verdict", verdict!.Verdict), ("by", actor.Organisation));
            }
            var lotKey = SupplyKeys.Lot(unit.Gtin, unit.Lot);
            var lot = lots.GetValueOrDefault(lotKey) ?? StateJson.Read<LotRecord>(call.State.Get(lotKey))!;
            lots[lotKey] = Move(lot, shipment.From, actor.Organisation);
        }
        foreach (var (key, lot) in lots)
        {
            call.State.Put(key, StateJson.Write(lot));
        }
        var receivedSet = received.ToHashSet(StringComparer.Ordinal);
        var missing = shipment.Units.Where(u => !receivedSet.Contains(u)).ToList();
        call.State.Put(SupplyKeys.Shipment(id), StateJson.Write(shipment with
        {
            Status = missing.Count == 0 ? "received" : "received_with_discrepancies",
            Missing = missing,
        }));
        call.Emit("supply.received", ("shipment", id), ("by", actor.Organisation), ("missing", missing.Count.ToString(CultureInfo.InvariantCulture)));
    }
}
