using System.Net;
using System.Text.Json;
using CareLedger.Core.Crypto;

namespace CareLedger.Node.Tests;

[Collection("network")]
public sealed class PrescriptionDeskTests : NodeTest
{
    private const string Gtin = PharmacySetup.Gtin;

    private int VaultBlobs() => Directory.Exists(Path.Combine(Node.DataDirectory, "vault", "blobs"))
        ? Directory.GetFiles(Path.Combine(Node.DataDirectory, "vault", "blobs"), "*", SearchOption.AllDirectories).Length
        : 0;

    [Fact]
    public async Task A_prescription_and_its_fill_carry_their_FHIR_records_and_a_refusal_leaves_nothing_behind()
    {
        using var setup = await PharmacySetup.CreateAsync(Node);
        var (doctor, unlicensed, pharmacist, patient, patientId) = (setup.Doctor, setup.Unlicensed, setup.Pharmacist, setup.Patient, setup.PatientId);
        var now = DateTimeOffset.UtcNow;
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
