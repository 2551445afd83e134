using System.Net;
using CareLedger.Client;
using CareLedger.Contracts.Identity;
using CareLedger.Core.Crypto;

namespace CareLedger.Node.Tests;

/// <summary>A transaction's contents are for its parties and auditors; everyone else sees that it exists.</summary>
[Collection("network")]
public sealed class LedgerReadAuthorisationTests : NodeTest
{
    [Fact]
    public async Task Another_patient_sees_only_the_id_and_status_of_a_patients_grant_and_gets_no_receipt()
    {
        using var care = await CareSetup.CreateAsync(Node.Client, Node.AdminKey, Node.Chain, "member:dr-read", actions: null);
        var grant = await Node.Client.SubmitAsync(new TransactionFactory(care.Patient, Node.Chain).Create("consent.grant",
            $$"""{"patient":"{{care.PatientId}}","grantee":{"kind":"member","id":"member:dr-read"},"actions":["read"],"purposes":["TREAT"],"expires":{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds()}}}"""),
            TimeSpan.FromSeconds(10));
        Assert.Equal("committed", grant.Status);

        using var other = SigningKey.Generate();
        using var auditor = SigningKey.Generate();
        using var colleague = SigningKey.Generate();
        await CareSetup.CommitAsync(Node.Client, other, Node.Chain, "identity.register_patient",
            $$"""{"publicKey":"{{Convert.ToBase64String(other.PublicKey.SubjectPublicKeyInfo)}}"}""");
        await CareSetup.CommitAsync(Node.Client, Node.AdminKey, Node.Chain, "identity.enrol_member",
            $$"""{"member":"member:auditor","roles":["auditor"],"publicKey":"{{Convert.ToBase64String(auditor.PublicKey.SubjectPublicKeyInfo)}}"}""");
        await CareSetup.CommitAsync(Node.Client, Node.AdminKey, Node.Chain, "identity.enrol_member",
            $$"""{"member":"member:colleague","roles":["clinician"],"publicKey":"{{Convert.ToBase64String(colleague.PublicKey.SubjectPublicKeyInfo)}}"}""");

        var path = $"api/v1/transactions/{grant.Id}";
        // The hole: another patient read the grant's arguments (who, which patient, what purpose).
        foreach (var outsider in new[] { other, colleague })
        {
            var (status, body) = await Node.GetAsAsync(outsider, path);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(("committed", grant.Id), (body.GetProperty("status").GetString(), body.GetProperty("id").GetString()));
            Assert.DoesNotContain(care.PatientId, body.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("member:dr-read", body.ToString(), StringComparison.Ordinal);
            Assert.False(body.TryGetProperty("args", out var args) && args.ValueKind != System.Text.Json.JsonValueKind.Null);
            var (refused, problem) = await Node.GetAsAsync(outsider, path + "/receipt");
            Assert.Equal(HttpStatusCode.Forbidden, refused);
            Assert.Equal("auth.not_a_party", problem.GetProperty("code").GetString());
        }
        // The patient who signed it, the clinician it names and an auditor see it whole.
        foreach (var party in new[] { care.Patient, care.Clinician, auditor })
        {
            var (status, body) = await Node.GetAsAsync(party, path);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(care.PatientId, body.GetProperty("args").GetProperty("patient").GetString());
            Assert.Equal(HttpStatusCode.OK, (await Node.GetAsAsync(party, path + "/receipt")).Status);
        }
        Assert.Equal(IdentityKeys.PatientIdFor(care.Patient.Id), care.PatientId);
    }

    [Fact]
    public async Task An_auditor_role_an_ordinary_organisation_gives_itself_reads_nothing_extra()
    {
        using var care = await CareSetup.CreateAsync(Node.Client, Node.AdminKey, Node.Chain, "member:dr-aud", actions: "[\"read\"]");
        var grant = Node.Ledger.Store.ScanState("consent/grant/", 10).Select(r => r.Key["consent/grant/".Length..]).Single();
        using var clinic = await CareSetup.AdmitAsync(Node, "org:small-clinic", "Clinic");
        using var fake = SigningKey.Generate();
        await CareSetup.CommitAsync(Node.Client, clinic, Node.Chain, "identity.enrol_member",
            $$"""{"member":"member:self-made-auditor","roles":["auditor"],"publicKey":"{{Convert.ToBase64String(fake.PublicKey.SubjectPublicKeyInfo)}}"}""");

        var (status, body) = await Node.GetAsAsync(fake, $"api/v1/transactions/{grant}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain(care.PatientId, body.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await Node.GetAsAsync(fake, $"api/v1/transactions/{grant}/receipt")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Node.GetAsAsync(fake, "api/v1/statistics/dispensing")).Status);
    }
}
