using System.Net;
using System.Text.Json;
using CareLedger.Core.Crypto;

namespace CareLedger.Node.Tests;

[Collection("network")]
public sealed class PrescriptionDeskTests : NodeTest
{
    private const string Gtin = "09506000134352";

    private Task CommitAsync(SigningKey key, string type, string args) => CareSetup.CommitAsync(Node.Client, key, Node.Chain, type, args);

    private int VaultBlobs() => Directory.Exists(Path.Combine(Node.DataDirectory, "vault", "blobs"))
        ? Directory.GetFiles(Path.Combine(Node.DataDirectory, "vault", "blobs"), "*", SearchOption.AllDirectories).Length
        : 0;

    [Fact]
    public async Task A_prescription_and_its_fill_carry_their_FHIR_records_and_a_refusal_leaves_nothing_behind()
    {
        using var board = await CareSetup.AdmitAsync(Node, "org:state-board", "LicensingBoard");
        using var maker = await CareSetup.AdmitAsync(Node, "org:acme-pharma", "Manufacturer");
        using var doctor = SigningKey.Generate();
        using var unlicensed = SigningKey.Generate();
        using var pharmacist = SigningKey.Generate();
        using var patient = SigningKey.Generate();
        var patientId = Contracts.Identity.IdentityKeys.PatientIdFor(patient.Id);
        var now = DateTimeOffset.UtcNow;
        foreach (var (member, role, key, profession) in new[] { ("member:dr-rx", "practitioner", doctor, "physician"), ("member:dr-new", "practitioner", unlicensed, (string?)null),
                     ("member:ph-rx", "pharmacist", pharmacist, "pharmacist") })
        {
            await CommitAsync(Node.AdminKey, "identity.enrol_member", $$"""{"member":"{{member}}","roles":["{{role}}"],"publicKey":"{{ResearchNetwork.Spki(key)}}"}""");
            if (profession is not null)
            {
                await CommitAsync(board, "cred.issue", $$"""{"credential":"cred:{{member[7..]}}","subject":"{{member}}","kind":"licence","profession":"{{profession}}","jurisdiction":"US-MA","number":"N-{{member.Length}}","validFrom":{{now.AddYears(-2).ToUnixTimeMilliseconds()}},"validUntil":{{now.AddYears(1).ToUnixTimeMilliseconds()}}}""");
            }
        }
        await CommitAsync(maker, "supply.register_product", $$"""{"gtin":"{{Gtin}}","nationalCode":"NDC 1","name":"Metformin","strength":"500 mg","form":"tablet","packSize":60}""");
        await CommitAsync(maker, "supply.commission", $$"""{"gtin":"{{Gtin}}","lot":"L1","expiry":"{{now.AddYears(2):yyMM}}00","serials":["S1","S2"]}""");
        var shipment = await Node.Client.SubmitAsync(new Client.TransactionFactory(maker, Node.Chain).Create("supply.ship",
            $$"""{"to":"org:local","units":["{{Gtin}}/S1","{{Gtin}}/S2"],"transactionInformation":"TI","transactionStatement":"TS"}"""), TimeSpan.FromSeconds(10));
        await CommitAsync(Node.AdminKey, "supply.receive", $$"""{"shipment":"{{shipment.Id}}","units":["{{Gtin}}/S1","{{Gtin}}/S2"]}""");
        await CommitAsync(patient, "identity.register_patient", $$"""{"publicKey":"{{ResearchNetwork.Spki(patient)}}"}""");
        foreach (var member in new[] { "member:dr-rx", "member:dr-new" })
        {
            await CommitAsync(patient, "consent.grant", $$"""{"patient":"{{patientId}}","grantee":{"kind":"member","id":"{{member}}"},"actions":["read","append"],"purposes":["TREAT"],"expires":{{now.AddHours(1).ToUnixTimeMilliseconds()}}}""");
        }
        var order = $$"""{"prescription":"rx:desk-1","patient":"{{patientId}}","gtin":"{{Gtin}}","packagesPerFill":1,"refills":1,"expires":{{now.AddDays(30).ToUnixTimeMilliseconds()}},"dosage":"500 mg twice daily with meals"}""";
        var blobs = VaultBlobs();

        var refused = await Post(unlicensed, "api/v1/prescriptions", order);
        Assert.Equal((HttpStatusCode.Forbidden, "cred.not_licensed"), (refused.Status, refused.Body.GetProperty("code").GetString()));
        Assert.Equal(blobs, VaultBlobs());

        var written = await Post(doctor, "api/v1/prescriptions", order);
        Assert.Equal(HttpStatusCode.OK, written.Status);
        var record = written.Body.GetProperty("record").GetString()!;
        Assert.Equal("member:dr-rx", written.Body.GetProperty("prescriber").GetString());
        var (status, request) = await Node.GetAsAsync(doctor, $"fhir/MedicationRequest/{record["record:".Length..]}?purpose=TREAT");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("rx:desk-1", Gtin, "500 mg twice daily with meals"), (request.GetProperty("identifier")[0].GetProperty("value").GetString(),
            request.GetProperty("medicationCodeableConcept").GetProperty("coding")[0].GetProperty("code").GetString(),
            request.GetProperty("dosageInstruction")[0].GetProperty("text").GetString()));
        Assert.DoesNotContain("twice daily", string.Concat(Node.Ledger.Store.ScanState("", 100_000).Select(r => System.Text.Encoding.UTF8.GetString(r.Value))), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, (await Post(doctor, "api/v1/prescriptions/rx:desk-1/dispense", $$"""{"units":["{{Gtin}}/S1"]}""")).Status);
        var filled = await Post(pharmacist, "api/v1/prescriptions/rx:desk-1/dispense", $$"""{"units":["{{Gtin}}/S1"]}""");
        Assert.Equal(HttpStatusCode.OK, filled.Status);
        var dispenseRecord = filled.Body.GetProperty("fills")[0].GetProperty("record").GetString()!;
        var (mine, dispense) = await Node.GetAsAsync(patient, $"fhir/MedicationDispense/{dispenseRecord["record:".Length..]}");
        Assert.Equal((HttpStatusCode.OK, "completed", $"{Gtin}/S1"), (mine, dispense.GetProperty("status").GetString(), dispense.GetProperty("identifier")[0].GetProperty("value").GetString()));

        var blobsBefore = VaultBlobs();
        var again = await Post(pharmacist, "api/v1/prescriptions/rx:desk-1/dispense", $$"""{"units":["{{Gtin}}/S1"]}""");
        Assert.Equal((HttpStatusCode.Forbidden, "supply.already_dispensed"), (again.Status, again.Body.GetProperty("code").GetString()));
        Assert.Equal(blobsBefore, VaultBlobs());
        var (_, records) = await Node.GetAsAsync(patient, $"api/v1/patients/{patientId}/records");
        Assert.Equal(["MedicationRequest", "MedicationDispense"], records.EnumerateArray().Select(r => r.GetProperty("resourceType").GetString()));
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> Post(SigningKey caller, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            Client.AccessToken.Create(caller, Node.Chain, TimeSpan.FromMinutes(2), DateTimeOffset.UtcNow));
        using var response = await Node.Http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
