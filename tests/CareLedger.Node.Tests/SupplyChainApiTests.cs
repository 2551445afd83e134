using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CareLedger.Client;
using CareLedger.Client.Wire;
using CareLedger.Core.Crypto;

namespace CareLedger.Node.Tests;

[Collection("network")]
public sealed class SupplyChainApiTests : NodeTest
{
    private const string Gtin = "09506000134352";

    private Task<SigningKey> AdmitAsync(string id, string kind) => CareSetup.AdmitAsync(Node, id, kind);

    private Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path) => GetAsAsync(Node.AdminKey, path);

    // Commissions serials in a lot expiring in two years and ships some of them; the shipment's outcome.
    private async Task<SubmitOutcome> CommissionAndShipAsync(SigningKey maker, string lot, string[] serials, string to, string[] shipped)
    {
        await CareSetup.CommitAsync(Node.Client, maker, Node.Chain, "supply.commission",
            $$"""{"gtin":"{{Gtin}}","lot":"{{lot}}","expiry":"{{DateTime.UtcNow.AddYears(2):yyMM}}00","serials":[{{string.Join(",", serials.Select(x => $"\"{x}\""))}}]}""");
        return await Node.Client.SubmitAsync(new TransactionFactory(maker, Node.Chain).Create("supply.ship",
            $$"""{"to":"{{to}}","units":[{{string.Join(",", shipped.Select(x => $"\"{Gtin}/{x}\""))}}],"transactionInformation":"TI-{{lot}}","transactionStatement":"TS-{{lot}}"}"""),
            TimeSpan.FromSeconds(10));
    }

    // A manufacturer with a registered product, and a pharmacy.
    private async Task<(SigningKey Maker, SigningKey Pharmacy)> SuppliersAsync()
    {
        var maker = await AdmitAsync("org:acme-pharma", "Manufacturer");
        var pharmacy = await AdmitAsync("org:city-pharmacy", "Pharmacy");
        await CareSetup.CommitAsync(Node.Client, maker, Node.Chain, "supply.register_product",
            $$"""{"gtin":"{{Gtin}}","nationalCode":"NDC 12345-678-90","name":"Metformin","strength":"500 mg","form":"tablet","packSize":60}""");
        return (maker, pharmacy);
    }

    [Fact]
    public async Task A_scan_is_verified_the_trace_and_the_lot_genealogy_are_served_and_a_recalled_package_is_flagged()
    {
        var (maker, pharmacy) = await SuppliersAsync();
        using var _ = maker;
        using var __ = pharmacy;
        var shipment = await CommissionAndShipAsync(maker, "L7", ["A1", "A2"], "org:city-pharmacy", ["A1"]);
        await CareSetup.CommitAsync(Node.Client, pharmacy, Node.Chain, "supply.receive", $$"""{"shipment":"{{shipment.Id}}","units":["{{Gtin}}/A1"]}""");

        var raw = Uri.EscapeDataString($"]d201{Gtin}21A1");
        var (status, verdict) = await GetAsync($"api/v1/supply/verify?code={raw}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("verified", "org:city-pharmacy"), (verdict.GetProperty("verdict").GetString(), verdict.GetProperty("owner").GetString()));
        var (_, fake) = await GetAsync($"api/v1/supply/verify?code={Uri.EscapeDataString($"https://id.gs1.org/01/{Gtin}/21/ZZZ")}");
        Assert.Equal("unknown_serial", fake.GetProperty("verdict").GetString());
        var (badStatus, bad) = await GetAsync($"api/v1/supply/verify?code={Uri.EscapeDataString("(01)09506000134353(21)A1")}");
        Assert.Equal((HttpStatusCode.BadRequest, "gs1.bad_check_digit"), (badStatus, bad.GetProperty("code").GetString()));

        var (_, trace) = await GetAsync($"api/v1/supply/units/{Gtin}/A1");
        Assert.Equal(["commissioning", "shipping", "receiving"], trace.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("step").GetString()));
        var (_, document) = await GetAsync($"api/v1/supply/units/{Gtin}/A1/epcis");
        var ids = document.GetProperty("epcisBody").GetProperty("eventList").EnumerateArray().Select(e => e.GetProperty("eventID").GetString()!).ToList();
        Assert.Equal(3, ids.Count);
        Assert.All(ids, id => Assert.Matches("^ni:///sha-256;[0-9a-f]{64}\\?ver=CBV2\\.0$", id));
        Assert.Empty(EpcisSchema.Errors(document));
        var broken = System.Text.Json.Nodes.JsonNode.Parse(document.GetRawText())!;
        broken["epcisBody"]!["eventList"]![0]!["action"] = "MOVE";
        Assert.NotEmpty(EpcisSchema.Errors(JsonDocument.Parse(broken.ToJsonString()).RootElement));

        // The CLI computes the same hash IDs from the exported document, offline.
        var file = Path.Combine(Node.DataDirectory, "trace.jsonld");
        await File.WriteAllTextAsync(file, document.GetRawText());
        var (exit, hashes, _) = await CliRunner.Run("epcis", "hash", file);
        Assert.Equal(0, exit);
        Assert.Equal(ids, hashes.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        await CareSetup.CommitAsync(Node.Client, maker, Node.Chain, "supply.recall", $$"""{"gtin":"{{Gtin}}","lot":"L7","reason":"contamination"}""");
        var (_, recalled) = await GetAsync($"api/v1/supply/verify?code={Uri.EscapeDataString($"({"01"}){Gtin}(21)A1")}");
        Assert.Equal("recalled", recalled.GetProperty("verdict").GetString());
        var (_, lot) = await GetAsync($"api/v1/supply/lots/{Gtin}/L7");
        Assert.Equal("recalled", lot.GetProperty("status").GetString());
        var whereabouts = lot.GetProperty("whereabouts").EnumerateArray()
            .Select(w => (w.GetProperty("owner").GetString(), w.GetProperty("status").GetString(), w.GetProperty("units").GetInt32())).ToList();
        Assert.Equal([("org:acme-pharma", "commissioned", 1), ("org:city-pharmacy", "owned", 1)], whereabouts);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"api/v1/supply/lots/{Gtin}/NOPE")).Status);
        var (_, lotDocument) = await GetAsync($"api/v1/supply/lots/{Gtin}/L7/epcis");
        Assert.Equal(4, lotDocument.GetProperty("epcisBody").GetProperty("eventList").GetArrayLength());
        Assert.Empty(EpcisSchema.Errors(lotDocument));
    }

    [Fact]
    public async Task A_prescription_is_readable_by_its_patient_and_prescriber_and_by_pharmacies_only()
    {
        using var maker = await AdmitAsync("org:acme-pharma", "Manufacturer");
        using var pharmacy = await AdmitAsync("org:city-pharmacy", "Pharmacy");
        using var board = await AdmitAsync("org:state-board", "LicensingBoard");
        using var doctor = SigningKey.Generate();
        using var patient = SigningKey.Generate();
        var patientId = CareLedger.Contracts.Identity.IdentityKeys.PatientIdFor(patient.Id);
        await CareSetup.CommitAsync(Node.Client, maker, Node.Chain, "supply.register_product",
            $$"""{"gtin":"{{Gtin}}","nationalCode":"NDC 12345-678-90","name":"Metformin","strength":"500 mg","form":"tablet","packSize":60}""");
        await CareSetup.CommitAsync(Node.Client, Node.AdminKey, Node.Chain, "identity.enrol_member",
            $$"""{"member":"member:dr-rx","roles":["practitioner"],"publicKey":"{{Convert.ToBase64String(doctor.PublicKey.SubjectPublicKeyInfo)}}"}""");
        await CareSetup.CommitAsync(Node.Client, patient, Node.Chain, "identity.register_patient",
            $$"""{"publicKey":"{{Convert.ToBase64String(patient.PublicKey.SubjectPublicKeyInfo)}}"}""");
        var expires = DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeMilliseconds();
        await CareSetup.CommitAsync(Node.Client, board, Node.Chain, "cred.issue",
            $$"""{"credential":"cred:dr-rx","subject":"member:dr-rx","kind":"licence","profession":"physician","jurisdiction":"US-MA","number":"MD-1","validFrom":0,"validUntil":{{expires}}}""");
        await CareSetup.CommitAsync(Node.Client, patient, Node.Chain, "consent.grant",
            $$"""{"patient":"{{patientId}}","grantee":{"kind":"member","id":"member:dr-rx"},"actions":["append"],"purposes":["TREAT"],"expires":{{expires}}}""");
        await CareSetup.CommitAsync(Node.Client, doctor, Node.Chain, "rx.prescribe",
            $$"""{"prescription":"rx:api-1","patient":"{{patientId}}","gtin":"{{Gtin}}","packagesPerFill":1,"refills":1,"expires":{{expires}}}""");

        Assert.Equal(HttpStatusCode.OK, (await GetAsAsync(patient, "api/v1/prescriptions/rx:api-1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsAsync(doctor, "api/v1/prescriptions/rx:api-1")).Status);
        var (status, body) = await GetAsAsync(pharmacy, "api/v1/prescriptions/rx:api-1");
        Assert.Equal((HttpStatusCode.OK, 1), (status, body.GetProperty("refills").GetInt32()));
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsAsync(maker, "api/v1/prescriptions/rx:api-1")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsAsync(patient, "api/v1/prescriptions/rx:nope")).Status);
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> GetAsAsync(SigningKey caller, string path) => Node.GetAsAsync(caller, path);

    [Fact]
    public async Task Captured_EPCIS_events_become_checked_transactions_and_their_hashes_are_anchored()
    {
        var (maker, pharmacy) = await SuppliersAsync();
        using var _ = maker;
        using var __ = pharmacy;
        var keyFile = Path.Combine(Node.DataDirectory, "maker.key");
        await File.WriteAllTextAsync(keyFile, maker.ExportPem());
        var document = Path.Combine(Node.DataDirectory, "capture.jsonld");
        await File.WriteAllTextAsync(document, $$$"""
            {"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0",
             "creationDate":"2026-11-26T10:00:00.000Z","epcisBody":{"eventList":[
              {"type":"ObjectEvent","eventTime":"2026-11-26T10:00:00.000+01:00","eventTimeZoneOffset":"+01:00","action":"ADD","bizStep":"commissioning",
               "disposition":"active","epcList":["urn:epc:id:sgtin:9506000.013435.C1","https://id.gs1.org/01/{{{Gtin}}}/21/C2"],
               "ilmd":{"cbvmda:lotNumber":"LC","cbvmda:itemExpirationDate":"2030-06-30"}},
              {"type":"ObjectEvent","eventTime":"2026-11-26T11:00:00.000+01:00","eventTimeZoneOffset":"+01:00","action":"OBSERVE","bizStep":"shipping",
               "disposition":"in_transit","epcList":["https://id.gs1.org/01/{{{Gtin}}}/21/C1"],
               "destinationList":[{"type":"owning_party","destination":"urn:careledger:org:city-pharmacy"}]},
              {"type":"TransactionEvent","eventTime":"2026-11-26T11:30:00.000+01:00","eventTimeZoneOffset":"+01:00","action":"ADD",
               "bizTransactionList":[{"type":"inv","bizTransaction":"urn:epcglobal:cbv:bt:9506000000001:INV-42"}],
               "epcList":["https://id.gs1.org/01/{{{Gtin}}}/21/C2"],
               "sourceList":[{"type":"owning_party","source":"urn:careledger:org:acme-pharma"}],
               "destinationList":[{"type":"owning_party","destination":"urn:careledger:org:city-pharmacy"}]}]}}
            """);
        var (exit, output, error) = await CliRunner.Run("epcis", "capture", document, "--node", Node.Address.ToString(), "--key", keyFile);
        Assert.True(exit == 0, output + error);
        var (_, unit) = await GetAsync($"api/v1/supply/units/{Gtin}/C1");
        Assert.Equal(("in_transit", "LC", "2030-06-30"), (unit.GetProperty("status").GetString(), unit.GetProperty("lot").GetString(), unit.GetProperty("expiry").GetString()));
        var (_, sold) = await GetAsync($"api/v1/supply/units/{Gtin}/C2");
        Assert.Equal("in_transit", sold.GetProperty("status").GetString());
        var (_, hashes, _) = await CliRunner.Run("epcis", "hash", document);
        foreach (var id in hashes.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var hex = id["ni:///sha-256;".Length..id.IndexOf('?', StringComparison.Ordinal)];
            var (status, anchor) = await GetAsync($"api/v1/notary/{hex}");
            Assert.Equal((HttpStatusCode.OK, "epcis-event"), (status, anchor.GetProperty("documentType").GetString()));
        }

        // The same document again: commissioning the same serials is refused by the contract, and capture stops there.
        var (again, _, refusal) = await CliRunner.Run("epcis", "capture", document, "--node", Node.Address.ToString(), "--key", keyFile);
        Assert.Equal(1, again);
        Assert.Contains("supply.unit_exists", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_node_captures_EPCIS_events_for_its_own_organisation_only()
    {
        var (maker, pharmacy) = await SuppliersAsync();
        using var _ = maker;
        using var __ = pharmacy;
        var shipment = await CommissionAndShipAsync(maker, "LE", ["E1", "E2"], "org:local", ["E1", "E2"]);
        var receiving = $$$"""
            {"type":"EPCISDocument","schemaVersion":"2.0","epcisBody":{"eventList":[
              {"type":"ObjectEvent","eventTime":"2026-11-26T12:00:00.000Z","eventTimeZoneOffset":"+00:00","action":"OBSERVE","bizStep":"receiving",
               "disposition":"in_progress","epcList":["https://id.gs1.org/01/{{{Gtin}}}/21/E1","https://id.gs1.org/01/{{{Gtin}}}/21/E2"],
               "bizTransactionList":[{"type":"desadv","bizTransaction":"urn:careledger:tx:{{{shipment.Id}}}"}]}]}}
            """;

        var (refused, problem) = await PostAsAsync(maker, "api/v1/epcis/capture", receiving);
        Assert.Equal((HttpStatusCode.Forbidden, "epcis.not_authorised"), (refused, problem.GetProperty("code").GetString()));
        var (malformed, bad) = await PostAsAsync(Node.AdminKey, "api/v1/epcis/capture", "{not json");
        Assert.Equal((HttpStatusCode.BadRequest, "epcis.malformed"), (malformed, bad.GetProperty("code").GetString()));

        var (status, report) = await PostAsAsync(Node.AdminKey, "api/v1/epcis/capture", receiving);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, report[0].GetProperty("transactions").GetArrayLength());   // the receipt, then the anchor
        var (_, unit) = await GetAsync($"api/v1/supply/units/{Gtin}/E2");
        Assert.Equal(("org:local", "owned"), (unit.GetProperty("owner").GetString(), unit.GetProperty("status").GetString()));
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsAsync(SigningKey caller, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/ld+json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken.Create(caller, Node.Chain, TimeSpan.FromMinutes(2), DateTimeOffset.UtcNow));
        using var response = await Node.Http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task The_CLI_parses_GS1_data_offline_and_explains_what_is_wrong()
    {
        var (exit, output, _) = await CliRunner.Run("gs1", "parse", $"(01){Gtin}(17)280200(10)ABC(21)X1");
        Assert.Equal(0, exit);
        Assert.Contains("\"expiry\": \"2028-02-29\"", output, StringComparison.Ordinal);
        var (bad, _, error) = await CliRunner.Run("gs1", "parse", "(01)09506000134353(21)X1");
        Assert.Equal(1, bad);
        Assert.Contains("gs1.bad_check_digit", error, StringComparison.Ordinal);
    }
}
