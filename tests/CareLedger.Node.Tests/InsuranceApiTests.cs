using System.Net;
using System.Text.Json;
using CareLedger.Contracts.Identity;
using CareLedger.Contracts.Insurance;
using CareLedger.Core.Crypto;

namespace CareLedger.Node.Tests;

[Collection("network")]
public sealed class InsuranceApiTests : NodeTest
{
    private Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(SigningKey caller, string path) => Node.GetAsAsync(caller, path);

    [Fact]
    public async Task Eligibility_claims_the_insurance_card_and_the_explanation_of_benefits_are_served_to_the_right_parties()
    {
        using var insurer = await CareSetup.AdmitAsync(Node, "org:acme-health", "Insurer");
        using var board = await CareSetup.AdmitAsync(Node, "org:state-board", "LicensingBoard");
        using var maker = await CareSetup.AdmitAsync(Node, "org:acme-pharma", "Manufacturer");
        using var doctor = SigningKey.Generate();
        using var patient = SigningKey.Generate();
        using var stranger = SigningKey.Generate();
        var patientId = IdentityKeys.PatientIdFor(patient.Id);
        var now = DateTimeOffset.UtcNow;
        await CareSetup.CommitAsync(Node.Client, Node.AdminKey, Node.Chain, "identity.enrol_member",
            $$"""{"member":"member:dr-ins","roles":["practitioner"],"publicKey":"{{Convert.ToBase64String(doctor.PublicKey.SubjectPublicKeyInfo)}}"}""");
        await CareSetup.CommitAsync(Node.Client, board, Node.Chain, "cred.issue",
            $$"""{"credential":"cred:dr-ins","subject":"member:dr-ins","kind":"licence","profession":"physician","jurisdiction":"US-MA","number":"MD-9","validFrom":0,"validUntil":{{now.AddYears(1).ToUnixTimeMilliseconds()}}}""");
        foreach (var p in new[] { patient, stranger })
        {
            await CareSetup.CommitAsync(Node.Client, p, Node.Chain, "identity.register_patient", $$"""{"publicKey":"{{Convert.ToBase64String(p.PublicKey.SubjectPublicKeyInfo)}}"}""");
        }
        await CareSetup.CommitAsync(Node.Client, insurer, Node.Chain, "ins.publish_plan",
            """{"plan":"plan:silver","name":"Silver","currency":"USD","effectiveFrom":0,"deductible":0,"outOfPocketMax":100000,"network":["org:local"],"benefits":[{"code":"99213","allowed":15000,"copay":2500}]}""");
        var policy = new PolicyRecord("policy:api", "org:acme-health", "plan:silver", patientId, "AH-42", now.AddDays(-30).ToUnixTimeMilliseconds(), now.AddDays(300).ToUnixTimeMilliseconds(), null);
        var card = InsuranceCard.Sign(Node.Chain, policy, insurer);
        await CareSetup.CommitAsync(Node.Client, insurer, Node.Chain, "ins.enrol",
            $$"""{"policy":"policy:api","plan":"plan:silver","patient":"{{patientId}}","memberId":"AH-42","start":{{policy.Start}},"end":{{policy.End}},"card":"{{card}}"}""");
        await CareSetup.CommitAsync(Node.Client, insurer, Node.Chain, "ins.fund", """{"amount":100000,"currency":"USD"}""");
        // The visit is on record at the hospital (with the patient's consent): the claim's evidence.
        await CareSetup.CommitAsync(Node.Client, patient, Node.Chain, "consent.grant",
            $$"""{"patient":"{{patientId}}","grantee":{"kind":"organisation","id":"org:local"},"actions":["append"],"purposes":["TREAT"],"expires":{{now.AddDays(1).ToUnixTimeMilliseconds()}}}""");
        await CareSetup.CommitAsync(Node.Client, Node.AdminKey, Node.Chain, "records.register",
            $$"""{"patient":"{{patientId}}","category":"encounter","resourceType":"Encounter","saltedHash":"{{new string('c', 64)}}","author":"member:dr-ins"}""");
        await CareSetup.CommitAsync(Node.Client, Node.AdminKey, Node.Chain, "ins.submit_claim",
            $$"""{"claim":"claim:api-1","policy":"policy:api","practitioner":"member:dr-ins","lines":[{"code":"99213","billed":18000,"serviceDate":{{now.AddDays(-1).ToUnixTimeMilliseconds()}}},{"code":"70553","billed":90000,"serviceDate":{{now.AddDays(-1).ToUnixTimeMilliseconds()}}}]}""");

        var (status, eligible) = await GetAsync(Node.AdminKey, $"api/v1/insurance/eligibility?patient={patientId}&code=99213");
        Assert.Equal((HttpStatusCode.OK, true, "policy:api"), (status, eligible.GetProperty("eligible").GetBoolean(), eligible.GetProperty("policy").GetString()));
        Assert.Equal(2500, eligible.GetProperty("benefit").GetProperty("copay").GetInt64());
        var (_, notCovered) = await GetAsync(Node.AdminKey, $"api/v1/insurance/eligibility?patient={patientId}&code=70553");
        Assert.False(notCovered.GetProperty("eligible").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(stranger, $"api/v1/insurance/eligibility?patient={patientId}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(maker, $"api/v1/insurance/eligibility?patient={patientId}")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(Node.AdminKey, "api/v1/insurance/eligibility")).Status);

        var (claimStatus, claim) = await GetAsync(patient, "api/v1/insurance/claims/claim:api-1");
        Assert.Equal(HttpStatusCode.OK, claimStatus);
        Assert.Equal(("approved", "denied", "204"), (claim.GetProperty("lines")[0].GetProperty("status").GetString(),
            claim.GetProperty("lines")[1].GetProperty("status").GetString(), claim.GetProperty("lines")[1].GetProperty("reason").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(insurer, "api/v1/insurance/claims/claim:api-1")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(stranger, "api/v1/insurance/claims/claim:api-1")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(patient, "api/v1/insurance/claims/claim:none")).Status);

        var (_, mine) = await GetAsync(patient, $"api/v1/patients/{patientId}/insurance");
        Assert.Equal(card, mine[0].GetProperty("policy").GetProperty("card").GetString());
        var (eobStatus, eob) = await GetAsync(patient, $"fhir/ExplanationOfBenefit?patient={patientId}");
        Assert.Equal(HttpStatusCode.OK, eobStatus);
        var resource = eob.GetProperty("entry")[0].GetProperty("resource");
        Assert.Equal(("ExplanationOfBenefit", 125m), (resource.GetProperty("resourceType").GetString(), resource.GetProperty("payment").GetProperty("amount").GetProperty("value").GetDecimal()));
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(stranger, $"fhir/ExplanationOfBenefit?patient={patientId}")).Status);

        var (_, account) = await GetAsync(Node.AdminKey, "api/v1/insurance/accounts/org:local");
        Assert.Equal((12_500L, "claim:api-1"), (account.GetProperty("balance").GetInt64(), account.GetProperty("movements")[0].GetProperty("claim").GetString()));
        var sequence = account.GetProperty("movements")[0].GetProperty("sequence").GetInt64();
        Assert.Equal(0, (await GetAsync(Node.AdminKey, $"api/v1/insurance/accounts/org:local?after={sequence}")).Body.GetProperty("movements").GetArrayLength());
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(insurer, "api/v1/insurance/accounts/org:local")).Status);
    }
}
