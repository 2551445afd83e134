using System.Text.Json.Nodes;
using CareLedger.Contracts.SupplyChain;
using CareLedger.Contracts.SupplyChain.Epcis;

namespace CareLedger.Ledger.Tests.SupplyChain;

public class EpcisTests
{
    private static JsonObject Example() =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "SupplyChain", "Data", "epcis-single-event.jsonld")))!["epcisBody"]!["eventList"]![0]!;

    /// <summary>The example and expected values published with GS1's reference implementation of the CBV 2.0 event hash.</summary>
    [Fact]
    public void The_event_hash_matches_the_GS1_reference_example()
    {
        var evt = Example();
        Assert.Equal(
            "eventType=ObjectEventeventTime=2022-02-17T02:33:31.116ZeventTimeZoneOffset=-06:00epcListepc=https://id.gs1.org/01/10614141073464/21/2017" +
            "epc=https://id.gs1.org/01/10614141073464/21/2018action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-shipping" +
            "disposition=https://ref.gs1.org/cbv/Disp-in_transitreadPointid=https://id.gs1.org/414/0614141073467/254/1234" +
            "bizTransactionListbizTransaction=http://transaction.acme.com/po/12345678type=https://ref.gs1.org/cbv/BTT-po",
            EpcisEventHash.PreHash(evt));
        Assert.Equal("ni:///sha-256;3e0f2437f4cb5e8a1b832b769c0eed1bf3e1421f14061132e9800ded03f10182?ver=CBV2.0", EpcisEventHash.HashId(evt));
    }

    [Fact]
    public void The_hash_does_not_depend_on_field_order_list_order_or_identifier_syntax_but_on_every_value()
    {
        var evt = Example();
        var reordered = new JsonObject();
        foreach (var (key, value) in evt.Reverse())
        {
            reordered[key] = value?.DeepClone();
        }
        reordered["epcList"] = new JsonArray("https://id.gs1.org/01/10614141073464/21/2018", "urn:epc:id:sgtin:0614141.107346.2017");
        reordered["bizStep"] = "urn:epcglobal:cbv:bizstep:shipping";
        Assert.Equal(EpcisEventHash.HashId(evt), EpcisEventHash.HashId(reordered));

        reordered["disposition"] = "in_progress";
        Assert.NotEqual(EpcisEventHash.HashId(evt), EpcisEventHash.HashId(reordered));
        var later = Example();
        later["eventTime"] = "2022-02-16T20:33:31.117-06:00";
        Assert.NotEqual(EpcisEventHash.HashId(evt), EpcisEventHash.HashId(later));
    }

    [Theory]
    [InlineData("sensorElementList", "epcis.unsupported_field")]
    [InlineData("eventTime", "epcis.bad_time")]
    [InlineData("epcList", "epcis.bad_epc")]
    public void What_cannot_be_hashed_faithfully_is_refused(string field, string code)
    {
        var evt = Example();
        evt[field] = field switch
        {
            "eventTime" => "yesterday",
            "epcList" => new JsonArray("urn:epc:id:grai:0614141.12345.400"),
            _ => new JsonArray(),
        };
        Assert.Equal(code, Assert.Throws<EpcisException>(() => EpcisEventHash.HashId(evt)).Code);
    }

    [Fact]
    public void A_units_trace_exports_as_an_EPCIS_document_whose_event_ids_are_their_hashes()
    {
        var unit = new UnitRecord("09506000134352", "S1", "L1", "2030-12-31", "org:city-pharmacy", "dispensed", null, null, "rx:1",
        [
            new UnitEvent("commissioning", "org:acme-pharma", new string('a', 64), 5, 1_800_000_000_000),
            new UnitEvent("shipping", "org:acme-pharma", new string('b', 64), 6, 1_800_000_001_000, "org:city-pharmacy"),
            new UnitEvent("receiving", "org:city-pharmacy", new string('c', 64), 7, 1_800_000_002_000, "org:acme-pharma"),
            new UnitEvent("dispensing", "org:city-pharmacy", new string('d', 64), 8, 1_800_000_003_000, "rx:1"),
        ]);
        var document = EpcisExport.Document([unit], DateTimeOffset.UnixEpoch);
        var events = document["epcisBody"]!["eventList"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.Equal(["commissioning", "shipping", "receiving", "dispensing"], events.Select(e => (string)e["bizStep"]!));
        Assert.Equal("https://id.gs1.org/01/09506000134352/21/S1", (string)events[0]["epcList"]![0]!);
        Assert.Equal("L1", (string)events[0]["ilmd"]!["cbvmda:lotNumber"]!);
        Assert.Equal("urn:careledger:org:city-pharmacy", (string)events[1]["destinationList"]![0]!["destination"]!);
        foreach (var evt in events)
        {
            var id = (string)evt["eventID"]!;
            var copy = (JsonObject)evt.DeepClone();
            Assert.Equal(id, EpcisEventHash.HashId(copy));
        }
        Assert.Equal(4, events.Select(e => (string)e["eventID"]!).Distinct().Count());
    }
}
