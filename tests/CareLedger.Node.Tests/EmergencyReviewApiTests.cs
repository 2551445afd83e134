using System.Net;
using CareLedger.Core.Crypto;

namespace CareLedger.Node.Tests;

[Collection("network")]
public sealed class EmergencyReviewApiTests : NodeTest
{
    [Fact]
    public async Task The_review_queue_is_for_privacy_officers_and_an_unjustified_verdict_ends_the_access_at_once()
    {
        using var er = SigningKey.Generate();
        using var officer = SigningKey.Generate();
        using var care = await CareSetup.CreateAsync(Node.Client, Node.AdminKey, Node.Chain, "member:ward-nurse", actions: null);
        await CareSetup.CommitAsync(Node.Client, Node.AdminKey, Node.Chain, "identity.enrol_member",
            $$"""{"member":"member:er-api","roles":["clinician","emergency"],"publicKey":"{{Convert.ToBase64String(er.PublicKey.SubjectPublicKeyInfo)}}"}""");
        await CareSetup.CommitAsync(Node.Client, Node.AdminKey, Node.Chain, "identity.enrol_member",
            $$"""{"member":"member:po-api","roles":["privacy-officer"],"publicKey":"{{Convert.ToBase64String(officer.PublicKey.SubjectPublicKeyInfo)}}"}""");
        var glass = $$"""{"patient":"{{care.PatientId}}","reasonCode":"unconscious","reasonHash":"{{new string('a', 64)}}","hours":4}""";
        await CareSetup.CommitAsync(Node.Client, er, Node.Chain, "consent.break_glass", glass);

        var (forbidden, problem) = await Node.GetAsAsync(care.Clinician, "api/v1/emergencies/review-queue");
        Assert.Equal((HttpStatusCode.Forbidden, "auth.forbidden"), (forbidden, problem.GetProperty("code").GetString()));
        // A privacy officer of another organisation sees none of this hospital's queue, and cannot review its clinicians.
        using var clinic = await CareSetup.AdmitAsync(Node, "org:other-clinic", "Clinic");
        using var foreignOfficer = SigningKey.Generate();
        await CareSetup.CommitAsync(Node.Client, clinic, Node.Chain, "identity.enrol_member",
            $$"""{"member":"member:other-po","roles":["privacy-officer"],"publicKey":"{{Convert.ToBase64String(foreignOfficer.PublicKey.SubjectPublicKeyInfo)}}"}""");
        Assert.Empty((await Node.GetAsAsync(foreignOfficer, "api/v1/emergencies/review-queue")).Body.EnumerateArray());
        var (status, queue) = await Node.GetAsAsync(officer, "api/v1/emergencies/review-queue");
        Assert.Equal(HttpStatusCode.OK, status);
        var pending = Assert.Single(queue.EnumerateArray().ToList());
        Assert.Equal("member:er-api", pending.GetProperty("clinician").GetString());

        var verdict = $$"""{"emergency":"{{pending.GetProperty("id").GetString()}}","justified":false}""";
        var foreign = await Node.Client.SubmitAsync(new Client.TransactionFactory(foreignOfficer, Node.Chain).Create("consent.review_emergency", verdict), TimeSpan.FromSeconds(10));
        Assert.Equal(Contracts.Consent.ConsentErrors.NotAuthorised, foreign.Code);
        await CareSetup.CommitAsync(Node.Client, officer, Node.Chain, "consent.review_emergency", verdict);
        Assert.Empty((await Node.GetAsAsync(officer, "api/v1/emergencies/review-queue")).Body.EnumerateArray());
        var (flagged, flag) = await Node.GetAsAsync(officer, "api/v1/emergencies/flags/member:er-api");
        Assert.Equal((HttpStatusCode.OK, 1), (flagged, flag.GetProperty("unjustified").GetInt32()));
        Assert.Equal(HttpStatusCode.NotFound, (await Node.GetAsAsync(officer, "api/v1/emergencies/flags/member:ward-nurse")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Node.GetAsAsync(foreignOfficer, "api/v1/emergencies/flags/member:er-api")).Status);
    }
}
