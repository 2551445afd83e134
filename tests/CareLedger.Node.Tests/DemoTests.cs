using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CareLedger.Client;
using CareLedger.Core.Crypto;

namespace CareLedger.Node.Tests;

[Collection("process")]
public sealed class DemoTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "careledger-demo-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task The_demo_flag_seeds_a_synthetic_network_whose_people_can_sign_in_with_their_keys()
    {
        using var node = NodeProcess.Start(_data, "--demo");
        Assert.True(await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)), node.Logs);
        var readme = Path.Combine(_data, "demo-keys", "README.txt");
        for (var i = 0; i < 120 && !File.Exists(readme); i++)
        {
            await Task.Delay(500);
        }
        Assert.True(File.Exists(readme), node.Logs);
        Assert.Equal(50, Directory.GetFiles(Path.Combine(_data, "demo-keys", "patients"), "*.key").Length);

        using var http = new HttpClient { BaseAddress = node.Address };
        var chain = (await CareLedgerClient.GetChainInfoAsync(http)).Chain;
        async Task<(HttpStatusCode, JsonElement)> Get(string keyFile, string path)
        {
            using var key = SigningKey.FromPem(await File.ReadAllTextAsync(Path.Combine(_data, "demo-keys", keyFile)));
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken.Create(key, chain, TimeSpan.FromMinutes(2), DateTimeOffset.UtcNow));
            using var response = await http.SendAsync(request);
            return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }

        var (_, recalled) = await Get("member-pharmacist-cy.key", $"api/v1/supply/verify?code={Uri.EscapeDataString("(01)09506000134352(21)B0003")}");
        Assert.Equal("recalled", recalled.GetProperty("verdict").GetString());
        var (_, fine) = await Get("member-pharmacist-cy.key", $"api/v1/supply/verify?code={Uri.EscapeDataString("(01)09506000134352(21)A0020")}");
        Assert.Equal(("verified", "org:city-pharmacy"), (fine.GetProperty("verdict").GetString(), fine.GetProperty("owner").GetString()));

        using var patient = SigningKey.FromPem(await File.ReadAllTextAsync(Path.Combine(_data, "demo-keys", "patients", "patient-01.key")));
        var patientId = CareLedger.Contracts.Identity.IdentityKeys.PatientIdFor(patient.Id);
        var (status, records) = await Get(Path.Combine("patients", "patient-01.key"), $"api/v1/patients/{patientId}/records");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, records.GetArrayLength());
        var (_, rx) = await Get(Path.Combine("patients", "patient-01.key"), "api/v1/prescriptions/rx:demo-01");
        Assert.Equal(1, rx.GetProperty("fills").GetArrayLength());
        var (_, mine) = await Get(Path.Combine("patients", "patient-01.key"), $"api/v1/patients/{patientId}/prescriptions");
        Assert.Equal("rx:demo-01", mine[0].GetProperty("id").GetString());
        var (_, insurance) = await Get(Path.Combine("patients", "patient-01.key"), $"api/v1/patients/{patientId}/insurance");
        var claims = insurance[0].GetProperty("claims");
        Assert.Equal(("claim:demo-01", "pended"), (claims[0].GetProperty("id").GetString(), claims[0].GetProperty("lines")[1].GetProperty("status").GetString()));
        Assert.Equal(("approved", "rx:demo-01"), (claims[1].GetProperty("lines")[0].GetProperty("status").GetString(), claims[1].GetProperty("prescription").GetString()));
        var (_, ada) = await Get(Path.Combine("patients", "patient-01.key"), "api/v1/practitioners/member:dr-ada");
        Assert.Equal(("internal_medicine", "active"), (ada.GetProperty("qualifications")[0].GetProperty("specialty").GetString(),
            ada.GetProperty("qualifications")[0].GetProperty("standing").GetString()));
        var (forbidden, _) = await Get("member-pharmacist-cy.key", $"api/v1/patients/{patientId}/prescriptions");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.StartsWith("Synthetic demo identities", await File.ReadAllTextAsync(readme), StringComparison.Ordinal);

        // Research: a trial recruiting at the hospital with one subject, shared genomes answering a beacon query, statistics.
        var (_, trial) = await Get("member-tm-noor.key", "api/v1/trials/trial:glp1-2027");
        Assert.Equal(1, trial.GetProperty("trial").GetProperty("enrolled").GetInt32());
        // Screening and Beacon counts are released under the site's sticky noise: suppressed, or at least k.
        var eligible = trial.GetProperty("counts")[0].GetProperty("eligible");
        Assert.True(eligible.ValueKind == System.Text.Json.JsonValueKind.Null || eligible.GetInt32() >= 5, eligible.ToString());
        var (_, beacon) = await Get("member-tm-noor.key", "api/v1/genomics/beacon?variant=17:43045712:G:A");
        var count = beacon.GetProperty("count");
        Assert.Equal(ReleasedCount.Of(_data, "beacon|17:43045712:G:A", 5), count.ValueKind == System.Text.Json.JsonValueKind.Null ? null : count.GetInt64());
        var (_, dispensing) = await Get("member-tm-noor.key", "api/v1/statistics/dispensing?by=class,region");
        Assert.Equal(["A10B", "US-MA"], dispensing.GetProperty("cells")[0].GetProperty("key").EnumerateArray().Select(k => k.GetString()));
        var (_, outbreak) = await Get("member-tm-noor.key", "api/v1/statistics/outbreak?condition=A08.1");
        Assert.True(outbreak.GetProperty("alert").GetBoolean());
    }
}
