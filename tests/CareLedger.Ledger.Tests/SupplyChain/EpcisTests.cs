using System.Text.Json.Nodes;
using CareLedger.Contracts.SupplyChain;
using CareLedger.Contracts.SupplyChain.Epcis;

namespace CareLedger.Ledger.Tests.SupplyChain;

public class EpcisTests
{
    private static JsonObject Example() =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "SupplyChain", "Data", "epcis-single-event.jsonld")))!["epcisBody"]!["eventList"]![0]!;

    private static string Sha256Id(string preHash) =>
        $"ni:///sha-256;{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(preHash)))}?ver=CBV2.0";

    /// <summary>
    /// GS1's published example event. Its business transaction entry is canonicalised type first (CBV 2.0 §8.9), the form the
    /// reference generator adopted when it fixed its issue 80 and that openepcis produces for this event; the hash published with
    /// the example before that fix (3e0f2437…) came from the value-first order and no longer matches any maintained implementation.
    /// </summary>
    [Fact]
    public void The_event_hash_of_the_GS1_reference_example_puts_the_business_transaction_type_first()
    {
        var evt = Example();
        var preHash =
            "eventType=ObjectEventeventTime=2022-02-17T02:33:31.116ZeventTimeZoneOffset=-06:00epcListepc=https://id.gs1.org/01/10614141073464/21/2017" +
            "epc=https://id.gs1.org/01/10614141073464/21/2018action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-shipping" +
            "disposition=https://ref.gs1.org/cbv/Disp-in_transitreadPointid=https://id.gs1.org/414/0614141073467/254/1234" +
            "bizTransactionListtype=https://ref.gs1.org/cbv/BTT-pobizTransaction=http://transaction.acme.com/po/12345678";
        Assert.Equal(preHash, EpcisEventHash.PreHash(evt));
        Assert.Equal(Sha256Id(preHash), EpcisEventHash.HashId(evt));
        Assert.NotEqual("ni:///sha-256;3e0f2437f4cb5e8a1b832b769c0eed1bf3e1421f14061132e9800ded03f10182?ver=CBV2.0", EpcisEventHash.HashId(evt));
    }

    [Fact]
    public void Sources_and_destinations_are_typed_first_and_sorted_as_whole_entries()
    {
        var evt = Example();
        evt.Remove("bizTransactionList");
        evt["sourceList"] = new JsonArray(
            new JsonObject { ["type"] = "urn:epcglobal:cbv:sdt:possessing_party", ["source"] = "urn:epc:id:pgln:0614141.00000" },
            new JsonObject { ["type"] = "owning_party", ["source"] = "urn:epc:id:pgln:0614141.00000" });
        Assert.EndsWith("sourceList" +
            "type=https://ref.gs1.org/cbv/SDT-owning_partysource=https://id.gs1.org/417/0614141000005" +
            "type=https://ref.gs1.org/cbv/SDT-possessing_partysource=https://id.gs1.org/417/0614141000005", EpcisEventHash.PreHash(evt));
    }

    [Fact]
    public void Quantity_lists_hash_as_quantity_elements_with_exact_numbers()
    {
        var evt = Example();
        evt.Remove("epcList");
        evt.Remove("bizTransactionList");
        evt["quantityList"] = new JsonArray(
            new JsonObject { ["uom"] = "KGM", ["quantity"] = 2030, ["epcClass"] = "urn:epc:class:lgtin:4012345.099988.2014-02-10" },
            new JsonObject { ["uom"] = "KGM", ["epcClass"] = "urn:epc:class:lgtin:4054739.099914.20160711", ["quantity"] = JsonNode.Parse("600.0") });
        Assert.Contains("eventTimeZoneOffset=-06:00" +
            "quantityListquantityElementepcClass=https://id.gs1.org/01/04012345999884/10/2014-02-10quantity=2030uom=KGM" +
            "quantityElementepcClass=https://id.gs1.org/01/04054739999148/10/20160711quantity=600uom=KGM" + "action=OBSERVE", EpcisEventHash.PreHash(evt));
        Assert.Equal("2.5", EpcisEventHash.Number(JsonNode.Parse("2.50")!, "q"));
        Assert.Equal("1000", EpcisEventHash.Number(JsonNode.Parse("1E3")!, "q"));
        // A binary float would make this 0.1.
        Assert.Equal("0.10000000000000000001", EpcisEventHash.Number(JsonNode.Parse("0.10000000000000000001")!, "q"));
        Assert.Equal("epcis.bad_event", Assert.Throws<EpcisException>(() => EpcisEventHash.Number(JsonValue.Create("six")!, "q")).Code);
    }

    [Fact]
    public void Transformation_and_association_events_hash_every_list_in_the_standard_order()
    {
        var transformation = new JsonObject
        {
            ["type"] = "TransformationEvent", ["eventTime"] = "2026-01-02T03:04:05.0005Z", ["eventTimeZoneOffset"] = "+00:00",
            ["inputEPCList"] = new JsonArray("https://id.gs1.org/01/04012345111224/21/25"),
            ["inputQuantityList"] = new JsonArray(new JsonObject { ["epcClass"] = "https://id.gs1.org/01/04012345111118/10/4444", ["quantity"] = 10, ["uom"] = "KGM" }),
            ["outputEPCList"] = new JsonArray("https://id.gs1.org/01/04012345778892/21/25"),
            ["transformationID"] = "urn:epc:id:gdti:0614141.12345.400",
            ["bizStep"] = "commissioning",
            ["persistentDisposition"] = new JsonObject { ["unset"] = new JsonArray("completeness_inferred"), ["set"] = new JsonArray("completeness_verified") },
            ["ilmd"] = new JsonObject { ["cbvmda:lotNumber"] = "L1", ["cbvmda:countryOfOrigin"] = "DE", ["cbvmda:unitWeight"] = JsonNode.Parse("1.50"), ["example:organic"] = true },
        };
        // Half-up to the millisecond; the GDTI as its Digital Link (AI 253, check digit 2); ILMD names through the EPCIS 2.0 context.
        Assert.Equal(
            "eventType=TransformationEventeventTime=2026-01-02T03:04:05.001ZeventTimeZoneOffset=+00:00" +
            "inputEPCListepc=https://id.gs1.org/01/04012345111224/21/25" +
            "inputQuantityListquantityElementepcClass=https://id.gs1.org/01/04012345111118/10/4444quantity=10uom=KGM" +
            "outputEPCListepc=https://id.gs1.org/01/04012345778892/21/25" +
            "transformationID=https://id.gs1.org/253/0614141123452400bizStep=https://ref.gs1.org/cbv/BizStep-commissioning" +
            "persistentDispositionset=https://ref.gs1.org/cbv/Disp-completeness_verifiedunset=https://ref.gs1.org/cbv/Disp-completeness_inferred" +
            "ilmdexample:organic=trueurn:epcglobal:cbv:mda:countryOfOrigin=DEurn:epcglobal:cbv:mda:lotNumber=L1urn:epcglobal:cbv:mda:unitWeight=1.5",
            EpcisEventHash.PreHash(transformation));

        var association = new JsonObject
        {
            ["type"] = "AssociationEvent", ["eventTime"] = "2026-01-02T03:04:05Z", ["eventTimeZoneOffset"] = "+00:00",
            ["parentID"] = "urn:epc:id:grai:4012345.55555.987",
            ["childEPCs"] = new JsonArray("https://id.gs1.org/01/04012345111224/21/25"),
            ["childQuantityList"] = new JsonArray(new JsonObject { ["epcClass"] = "https://id.gs1.org/01/04012345111118/10/4444", ["quantity"] = 3 }),
            ["action"] = "ADD",
        };
        Assert.Equal(
            "eventType=AssociationEventeventTime=2026-01-02T03:04:05.000ZeventTimeZoneOffset=+00:00parentID=https://id.gs1.org/8003/04012345555554987" +
            "childEPCsepc=https://id.gs1.org/01/04012345111224/21/25childQuantityListquantityElementepcClass=https://id.gs1.org/01/04012345111118/10/4444quantity=3" +
            "action=ADD", EpcisEventHash.PreHash(association));
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
    [InlineData("example:myField", "epcis.unsupported_field")]
    [InlineData("ilmd", "epcis.unsupported_field")]
    [InlineData("eventTime", "epcis.bad_time")]
    [InlineData("epcList", "epcis.bad_epc")]
    public void What_cannot_be_hashed_faithfully_is_refused(string field, string code)
    {
        var evt = Example();
        evt[field] = field switch
        {
            "eventTime" => "yesterday",
            "epcList" => new JsonArray("urn:epc:id:cpi:0614141.12345.400"),
            "ilmd" => new JsonObject { ["example:nested"] = new JsonObject { ["a"] = "b" } },
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
