using CareLedger.Contracts;
using CareLedger.Contracts.SupplyChain;
using CareLedger.Core.Ledger;
using CsCheck;

namespace CareLedger.Ledger.Tests.SupplyChain;

public class SupplyChainContractTests
{
    private static string Sha(SupplyFixture f) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
        f.Chain.Store.ScanState("supply/", 1_000_000).SelectMany(r => System.Text.Encoding.UTF8.GetBytes(r.Key).Concat(r.Value)).ToArray()));

    private static VerificationResult Verify(SupplyFixture f, string data) =>
        Verification.Verify(f.Chain.Engine.State, Gs1.Parse(data, 2027), new DateOnly(2027, 6, 1));

    [Fact]
    public void A_package_travels_from_manufacturer_to_patient_and_its_trace_shows_every_step()
    {
        using var f = new SupplyFixture();
        f.Commission("L1", "S1", "S2");
        Assert.Equal(("org:acme-pharma", "commissioned"), (f.Unit("S1").Owner, f.Unit("S1").Status));
        f.Stock("S1", "S2");
        Assert.Equal(("org:city-pharmacy", "owned"), (f.Unit("S1").Owner, f.Unit("S1").Status));
        Assert.Equal("verified", Verify(f, $"(01){SupplyFixture.Gtin}(17)301231(10)L1(21)S1").Verdict);

        SupplyFixture.Ok(f.Dispense(f.Pharmacy, "S1"));
        Assert.Equal(["commissioning", "shipping", "receiving", "shipping", "receiving", "dispensing"], f.Unit("S1").History.Select(h => h.Step));
        Assert.Equal("already_dispensed", Verify(f, $"(01){SupplyFixture.Gtin}(21)S1").Verdict);
        Assert.Equal(new Dictionary<string, int> { ["org:city-pharmacy"] = 1 }, f.Lot("L1").Holders);
    }

    [Fact]
    public void Verification_names_what_is_wrong_with_a_package()
    {
        using var f = new SupplyFixture();
        f.Commission("L1", "S1");
        Assert.Equal("unknown_gtin", Verify(f, "(01)09506000134369(21)S1").Verdict);
        Assert.Equal("unknown_serial", Verify(f, $"(01){SupplyFixture.Gtin}(21)FAKE").Verdict);
        Assert.Equal("lot_mismatch", Verify(f, $"(01){SupplyFixture.Gtin}(10)L2(21)S1").Verdict);
        Assert.Equal("expiry_mismatch", Verify(f, $"(01){SupplyFixture.Gtin}(17)301130(21)S1").Verdict);
        Assert.Equal("expired", Verification.Verify(f.Chain.Engine.State, Gs1.Parse($"(01){SupplyFixture.Gtin}(21)S1", 2031), new DateOnly(2031, 1, 1)).Verdict);
    }

    [Fact]
    public void Only_the_owner_ships_and_a_receiver_cannot_receive_what_was_not_shipped()
    {
        using var f = new SupplyFixture();
        f.Commission("L1", "S1", "S2", "S3");
        var before = Sha(f);
        Assert.Equal(SupplyErrors.NotOwner, f.Ship(f.Wholesaler, "org:city-pharmacy", "S1").Code);
        Assert.Equal(SupplyErrors.UnknownUnit, f.Ship(f.Manufacturer, "org:north-wholesale", "NOPE").Code);
        Assert.Equal(before, Sha(f));

        var shipment = f.Ship(f.Manufacturer, "org:north-wholesale", "S1", "S2");
        SupplyFixture.Ok(shipment);
        var id = shipment.TransactionId.ToString();
        var shipped = Sha(f);
        Assert.Equal(SupplyErrors.NotShipped, f.Receive(f.Wholesaler, id, "S1", "S3").Code);
        Assert.Equal(SupplyErrors.NotReceiver, f.Receive(f.Pharmacy, id, "S1").Code);
        Assert.Equal(SupplyErrors.NotSaleable, f.Ship(f.Manufacturer, "org:city-pharmacy", "S1").Code);   // in transit
        Assert.Equal(shipped, Sha(f));

        SupplyFixture.Ok(f.Receive(f.Wholesaler, id, "S1"));   // S2 did not arrive
        var record = StateJson.Read<ShipmentRecord>(f.Chain.Engine.State.Get(SupplyKeys.Shipment(id)))!;
        Assert.Equal(("received_with_discrepancies", $"{SupplyFixture.Gtin}/S2"), (record.Status, Assert.Single(record.Missing)));
        Assert.Equal(("org:north-wholesale", "in_transit"), (f.Unit("S1").Owner, f.Unit("S2").Status));
        Assert.Equal(SupplyErrors.AlreadyReceived, f.Receive(f.Wholesaler, id, "S2").Code);
    }

    [Fact]
    public void A_recall_stops_the_whole_lot_everywhere_and_tells_every_holder()
    {
        using var f = new SupplyFixture();
        f.Commission("L1", "S1", "S2", "S3");
        f.Stock("S1");
        var shipment = f.Ship(f.Manufacturer, "org:north-wholesale", "S2");
        SupplyFixture.Ok(f.Receive(f.Wholesaler, shipment.TransactionId.ToString(), "S2"));

        Assert.Equal(SupplyErrors.NotAuthorised, f.Run(f.Pharmacy, "supply.recall", $$"""{"gtin":"{{SupplyFixture.Gtin}}","lot":"L1","reason":"x"}""").Code);
        var recall = f.Run(f.Regulator, "supply.recall", $$"""{"gtin":"{{SupplyFixture.Gtin}}","lot":"L1","reason":"Nitrosamine impurity above limit"}""");
        SupplyFixture.Ok(recall);
        Assert.Equal(["org:acme-pharma", "org:city-pharmacy", "org:north-wholesale"],
            recall.Events.Where(e => e.Type == "supply.recall_notice").Select(e => e.Attributes["holder"]));
        Assert.Equal("recalled", Verify(f, $"(01){SupplyFixture.Gtin}(21)S1").Verdict);

        var before = Sha(f);
        Assert.Equal("supply.recalled", f.Dispense(f.Pharmacy, "S1").Code);
        Assert.Equal(SupplyErrors.NotSaleable, f.Ship(f.Wholesaler, "org:city-pharmacy", "S2").Code);
        Assert.Equal(SupplyErrors.AlreadyRecalled, f.Run(f.Manufacturer, "supply.recall", $$"""{"gtin":"{{SupplyFixture.Gtin}}","lot":"L1","reason":"again"}""").Code);
        Assert.Equal(before, Sha(f));
    }

    [Fact]
    public void Dispensing_refuses_quarantined_expired_already_dispensed_and_foreign_stock()
    {
        using var f = new SupplyFixture();
        f.Commission("L1", "S1", "S2", "S3");
        f.Stock("S1", "S2");
        SupplyFixture.Ok(f.Run(f.Pharmacy, "supply.quarantine", $$"""{"gtin":"{{SupplyFixture.Gtin}}","serial":"S2","reason":"damaged seal"}"""));
        SupplyFixture.Ok(f.Dispense(f.Pharmacy, "S1"));
        var before = Sha(f);
        Assert.Equal("supply.already_dispensed", f.Dispense(f.Pharmacy, "S1").Code);
        Assert.Equal("supply.suspect", f.Dispense(f.Pharmacy, "S2").Code);
        Assert.Equal(SupplyErrors.NotOwner, f.Dispense(f.Pharmacy, "S3").Code);
        Assert.Equal("supply.unknown_serial", f.Dispense(f.Pharmacy, "S9").Code);
        Assert.Equal(before, Sha(f));

        // The owner cannot clear its own suspect product; a regulator can.
        Assert.Equal(SupplyErrors.NotAuthorised, f.Run(f.Pharmacy, "supply.clear", $$"""{"gtin":"{{SupplyFixture.Gtin}}","serial":"S2"}""").Code);
        SupplyFixture.Ok(f.Run(f.Regulator, "supply.clear", $$"""{"gtin":"{{SupplyFixture.Gtin}}","serial":"S2"}"""));
        SupplyFixture.Ok(f.Dispense(f.Pharmacy, "S2"));

        using var expiring = new SupplyFixture();
        SupplyFixture.Ok(expiring.Run(expiring.Manufacturer, "supply.commission", $$"""{"gtin":"{{SupplyFixture.Gtin}}","lot":"OLD","expiry":"261200","serials":["E1"]}"""));
        var stock = expiring.Ship(expiring.Manufacturer, "org:city-pharmacy", "E1");
        SupplyFixture.Ok(expiring.Receive(expiring.Pharmacy, stock.TransactionId.ToString(), "E1"));
        Assert.Equal("supply.expired", expiring.Dispense(expiring.Pharmacy, "E1").Code);   // expired at the end of 2026; the block clock is in 2027
    }

    [Fact]
    public void A_saleable_return_is_verified_before_it_re_enters_stock()
    {
        using var f = new SupplyFixture();
        f.Commission("L1", "S1");
        SupplyFixture.Ok(f.Run(f.Manufacturer, "supply.commission", $$"""{"gtin":"{{SupplyFixture.Gtin}}","lot":"SHORT","expiry":"270200","serials":["E1"]}"""));
        f.Stock("S1", "E1");
        f.Chain.Advance(TimeSpan.FromDays(60));   // E1 expired at the end of February 2027

        var back = f.Run(f.Pharmacy, "supply.ship",
            $$"""{"to":"org:north-wholesale","units":["{{SupplyFixture.Gtin}}/S1","{{SupplyFixture.Gtin}}/E1"],"transactionInformation":"RMA-1","transactionStatement":"RMA-1"}""");
        SupplyFixture.Ok(back);
        var received = f.Receive(f.Wholesaler, back.TransactionId.ToString(), "S1", "E1");
        SupplyFixture.Ok(received);
        Assert.Equal(("owned", "receiving_return"), (f.Unit("S1").Status, f.Unit("S1").History[^1].Step));
        Assert.Equal("quarantined", f.Unit("E1").Status);
        Assert.Contains(received.Events, e => e.Type == "supply.return_quarantined" && e.Attributes["verdict"] == "expired");
    }

    [Fact]
    public void Suspect_product_is_reported_to_regulators_and_can_be_decommissioned_and_destroyed()
    {
        using var f = new SupplyFixture();
        f.Commission("L1", "S1");
        var quarantine = f.Run(f.Manufacturer, "supply.quarantine", $$"""{"gtin":"{{SupplyFixture.Gtin}}","serial":"S1","reason":"counterfeit report"}""");
        SupplyFixture.Ok(quarantine);
        Assert.Contains(quarantine.Events, e => e.Type == "supply.suspect_reported" && e.Attributes["notify"] == "Regulator");
        SupplyFixture.Ok(f.Run(f.Regulator, "supply.decommission", $$"""{"gtin":"{{SupplyFixture.Gtin}}","serial":"S1","reason":"confirmed counterfeit"}"""));
        Assert.Equal("decommissioned", Verify(f, $"(01){SupplyFixture.Gtin}(21)S1").Verdict);
        SupplyFixture.Ok(f.Run(f.Regulator, "supply.destroy", $$"""{"gtin":"{{SupplyFixture.Gtin}}","serial":"S1"}"""));
        Assert.Equal(SupplyErrors.BadState, f.Run(f.Regulator, "supply.clear", $$"""{"gtin":"{{SupplyFixture.Gtin}}","serial":"S1"}""").Code);
        Assert.Empty(f.Lot("L1").Holders);
    }

    [Fact]
    public void Commissioning_takes_a_serial_range_of_100000_units_in_one_transaction_and_refuses_bad_batches()
    {
        using var f = new SupplyFixture();
        SupplyFixture.Ok(f.Run(f.Manufacturer, "supply.commission",
            $$$"""{"gtin":"{{{SupplyFixture.Gtin}}}","lot":"BIG","expiry":"301200","serialRange":{"prefix":"B","start":1,"count":100000,"width":6}}"""));
        Assert.Equal(100_000, f.Lot("BIG").Units);
        Assert.Equal("BIG", f.Unit("B100000").Lot);
        Assert.Equal(100_000, f.Chain.Store.ScanState(SupplyKeys.LotUnitPrefix(SupplyFixture.Gtin, "BIG"), 200_000).Count);

        var before = Sha(f);
        Assert.Equal(SupplyErrors.TooManyUnits, f.Run(f.Manufacturer, "supply.commission",
            $$$"""{"gtin":"{{{SupplyFixture.Gtin}}}","lot":"X","expiry":"301200","serialRange":{"start":1,"count":100001}}""").Code);
        Assert.Equal(SupplyErrors.UnitExists, f.Run(f.Manufacturer, "supply.commission",
            $$"""{"gtin":"{{SupplyFixture.Gtin}}","lot":"BIG","expiry":"301200","serials":["NEW1","B000007"]}""").Code);
        Assert.Equal(SupplyErrors.BadArguments, f.Run(f.Manufacturer, "supply.commission",
            $$"""{"gtin":"{{SupplyFixture.Gtin}}","lot":"BIG","expiry":"311200","serials":["NEW1"]}""").Code);
        Assert.Equal(SupplyErrors.NotAuthorised, f.Run(f.Wholesaler, "supply.commission",
            $$"""{"gtin":"{{SupplyFixture.Gtin}}","lot":"W","expiry":"301200","serials":["W1"]}""").Code);
        Assert.Equal(SupplyErrors.BadGtin, f.Run(f.Manufacturer, "supply.commission",
            """{"gtin":"09506000134353","lot":"W","expiry":"301200","serials":["W1"]}""").Code);
        Assert.Equal(SupplyErrors.NotAuthorised, f.Run(f.Pharmacy, "supply.register_product",
            """{"gtin":"09506000134369","nationalCode":"x","name":"x","strength":"x","form":"x","packSize":1}""").Code);
        Assert.Equal(before, Sha(f));
    }

    [Fact]
    public void Cases_are_packed_shipped_and_unpacked_as_one()
    {
        using var f = new SupplyFixture();
        f.Commission("L1", "S1", "S2");
        const string sscc = "106141412345678908";
        SupplyFixture.Ok(f.Run(f.Manufacturer, "supply.aggregate", $$"""{"sscc":"{{sscc}}","units":["{{SupplyFixture.Gtin}}/S1","{{SupplyFixture.Gtin}}/S2"]}"""));
        var shipment = f.Run(f.Manufacturer, "supply.ship",
            $$"""{"to":"org:north-wholesale","containers":["{{sscc}}"],"transactionInformation":"TI","transactionStatement":"TS"}""");
        SupplyFixture.Ok(shipment);
        SupplyFixture.Ok(f.Receive(f.Wholesaler, shipment.TransactionId.ToString(), "S1", "S2"));
        Assert.Equal(SupplyErrors.NotOwner, f.Run(f.Manufacturer, "supply.disaggregate", $$"""{"sscc":"{{sscc}}"}""").Code);
        SupplyFixture.Ok(f.Run(f.Wholesaler, "supply.disaggregate", $$"""{"sscc":"{{sscc}}"}"""));
        Assert.Null(f.Unit("S1").Container);
        Assert.Equal(SupplyErrors.BadArguments, f.Run(f.Wholesaler, "supply.aggregate", $$"""{"sscc":"006141411234567890","units":[]}""").Code);
    }

    /// <summary>Across random event sequences a unit never has two owners and is never dispensed twice.</summary>
    [Fact]
    public void Property_a_unit_has_one_owner_and_is_dispensed_at_most_once()
    {
        var serials = new[] { "P1", "P2", "P3" };
        var op = Gen.Select(Gen.Int[0, 6], Gen.Int[0, 3], Gen.Int[0, 2], (kind, actor, unit) => (kind, actor, unit));
        op.Array[5, 30].Sample(ops =>
        {
            using var f = new SupplyFixture();
            f.Commission("L1", serials);
            var actors = new[] { f.Manufacturer, f.Wholesaler, f.Pharmacy, f.Regulator };
            var orgs = new[] { "org:acme-pharma", "org:north-wholesale", "org:city-pharmacy", "org:medicines-agency" };
            var openShipments = new List<(string Id, string To, string Serial)>();
            foreach (var (kind, actor, unit) in ops)
            {
                var serial = serials[unit];
                switch (kind)
                {
                    case 0 or 1:
                        var shipped = f.Ship(actors[actor], orgs[(actor + 1) % 3], serial);
                        if (shipped.Status == TransactionStatus.Committed)
                        {
                            openShipments.Add((shipped.TransactionId.ToString(), orgs[(actor + 1) % 3], serial));
                        }
                        break;
                    case 2 when openShipments.Count > 0:
                        var s = openShipments[0];
                        openShipments.RemoveAt(0);
                        f.Receive(actors[Array.IndexOf(orgs, s.To)], s.Id, s.Serial);
                        break;
                    case 3:
                        f.Dispense(actors[actor], serial);
                        break;
                    case 4:
                        f.Run(actors[actor], "supply.quarantine", $$"""{"gtin":"{{SupplyFixture.Gtin}}","serial":"{{serial}}"}""");
                        break;
                    case 5:
                        f.Run(actors[actor], "supply.clear", $$"""{"gtin":"{{SupplyFixture.Gtin}}","serial":"{{serial}}"}""");
                        break;
                }
            }
            var units = serials.Select(x => f.Unit(x)).ToList();
            var dispensedOnce = units.All(u => u.History.Count(h => h.Step == "dispensing") <= 1);
            // Ownership only ever passes by receipt, and every receipt follows a shipment to that receiver.
            var oneOwner = units.All(u => u.Owner == (u.History.LastOrDefault(h => h.Step is "receiving" or "receiving_return")?.Organisation ?? "org:acme-pharma"));
            // Lot holders agree with the units: each unit still in circulation is counted once, for its owner.
            var holders = units.Where(u => u.Status is not ("dispensed" or "decommissioned" or "destroyed"))
                .GroupBy(u => u.Owner).ToDictionary(g => g.Key, g => g.Count());
            var lot = f.Lot("L1").Holders.ToDictionary(h => h.Key, h => h.Value);
            return dispensedOnce && oneOwner && holders.Count == lot.Count && holders.All(h => lot.GetValueOrDefault(h.Key) == h.Value);
        }, iter: 60);
    }
}
