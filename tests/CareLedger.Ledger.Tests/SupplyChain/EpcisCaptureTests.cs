using System.Text.Json.Nodes;
using CareLedger.Contracts.SupplyChain.Epcis;

namespace CareLedger.Ledger.Tests.SupplyChain;

public sealed class EpcisCaptureTests
{
    private const string Unit = "https://id.gs1.org/01/09506000134352/21/S1";

    private static JsonObject TransactionEvent(string action = "ADD", string? bizStep = "shipping", string? transactions = null) => (JsonObject)JsonNode.Parse($$"""
        {"type":"TransactionEvent","eventTime":"2027-01-15T08:00:00.000Z","eventTimeZoneOffset":"+00:00","action":"{{action}}",
         "epcList":["{{Unit}}"],{{(bizStep is null ? "" : $"\"bizStep\":\"{bizStep}\",")}}
         "bizTransactionList":{{transactions ?? """[{"type":"inv","bizTransaction":"urn:epcglobal:cbv:bt:0614141000001:INV-77"},{"type":"po","bizTransaction":"urn:epcglobal:cbv:bt:0614141000001:TS-77"}]"""}},
         "sourceList":[{"type":"owning_party","source":"urn:careledger:org:acme-pharma"}],
         "destinationList":[{"type":"owning_party","destination":"urn:careledger:org:north-wholesale"}]}
        """)!;

    [Fact]
    public void A_TransactionEvent_adding_units_to_a_sale_ships_them_with_its_transaction_information_and_statement()
    {
        foreach (var bizStep in new[] { "shipping", "https://ref.gs1.org/cbv/BizStep-shipping", null })
        {
            var captured = Assert.Single(EpcisCapture.Translate(new JsonArray(TransactionEvent(bizStep: bizStep))));
            var ship = captured.Steps[0];
            Assert.Equal("supply.ship", ship.Type);
            Assert.Equal("org:north-wholesale", (string?)ship.Args["to"]);
            Assert.Equal("09506000134352/S1", (string?)ship.Args["units"]![0]);
            Assert.Equal(("urn:epcglobal:cbv:bt:0614141000001:INV-77", "urn:epcglobal:cbv:bt:0614141000001:TS-77"),
                ((string?)ship.Args["transactionInformation"], (string?)ship.Args["transactionStatement"]));
            Assert.Equal("notary.anchor", captured.Steps[^1].Type);
        }
    }

    [Fact]
    public void A_receiving_TransactionEvent_receives_the_ledger_shipment_it_names()
    {
        var captured = Assert.Single(EpcisCapture.Translate(new JsonArray(TransactionEvent(bizStep: "receiving",
            transactions: """[{"type":"desadv","bizTransaction":"urn:careledger:tx:abc123"}]"""))));
        Assert.Equal(("supply.receive", "abc123"), (captured.Steps[0].Type, (string?)captured.Steps[0].Args["shipment"]));
    }

    [Theory]
    [InlineData("DELETE", "shipping", null, "epcis.unsupported_step")]
    [InlineData("ADD", "dispensing", null, "epcis.unsupported_step")]
    [InlineData("ADD", "shipping", "[]", "epcis.bad_event")]
    public void TransactionEvents_that_do_not_move_ownership_are_refused_with_a_reason(string action, string bizStep, string? transactions, string code)
    {
        var ex = Assert.Throws<EpcisException>(() => EpcisCapture.Translate(new JsonArray(TransactionEvent(action, bizStep, transactions))));
        Assert.Equal(code, ex.Code);
    }

    [Theory]
    [InlineData("""{"type":"TransformationEvent","inputEPCList":["https://id.gs1.org/01/09506000134352/21/S1"],"outputEPCList":["https://id.gs1.org/01/09506000134352/21/S2"]}""")]
    [InlineData("""{"type":"AssociationEvent","parentID":"urn:epc:id:grai:4012345.55555.987","childEPCs":["https://id.gs1.org/01/09506000134352/21/S1"],"action":"ADD"}""")]
    [InlineData("""{"type":"ObjectEvent","action":"ADD","bizStep":"commissioning","quantityList":[{"epcClass":"urn:epc:class:lgtin:4012345.011111.4444","quantity":10}]}""")]
    [InlineData("""{"type":"ObjectEvent","action":"OBSERVE","epcList":["https://id.gs1.org/01/09506000134352/21/S1"],"persistentDisposition":{"set":["completeness_verified"]}}""")]
    public void Events_that_hash_but_have_no_ledger_step_are_refused_at_capture_not_dropped(string json)
    {
        var evt = (JsonObject)JsonNode.Parse(json)!;
        evt["eventTime"] = "2027-01-15T08:00:00.000Z";
        evt["eventTimeZoneOffset"] = "+00:00";
        Assert.StartsWith("ni:///sha-256;", EpcisEventHash.HashId(evt));
        Assert.Equal("epcis.unsupported_step", Assert.Throws<EpcisException>(() => EpcisCapture.Translate(new JsonArray(evt))).Code);
    }
}
