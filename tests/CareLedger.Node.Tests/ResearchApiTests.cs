using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CareLedger.Contracts.Records;
using CareLedger.Contracts.Trials;
using CareLedger.Core.Crypto;

namespace CareLedger.Node.Tests;

[Collection("network")]
public sealed class ResearchApiTests : NodeTest
{
    private const string Trial = "trial:glp1-2027";

    [Fact]
    public async Task The_sponsor_sees_only_counts_and_invitations_reach_eligible_consenting_patients_who_enrol_under_a_trial_pseudonym()
    {
        using var network = await ResearchNetwork.CreateAsync(Node);
        var eligible = new List<SigningKey>();
        for (var i = 0; i < 5; i++)
        {
            eligible.Add(await network.PatientAsync($"19{60 + i}-03-0{i + 1}", "E11.9", 8.1m + i / 10m, research: true));
        }
        var young = await network.PatientAsync("1996-05-05", "E11.65", 7.9m, research: true);
        var notOptedIn = await network.PatientAsync("1970-01-01", "E11.9", 8.0m, research: false);
        var outOfRange = await network.PatientAsync("1965-07-07", "E11.9", 12.4m, research: true);
        var type1 = await network.PatientAsync("1975-07-07", "E10.9", 8.4m, research: true);
        await network.RegisterTrialAsync(Trial, maxAge: 75);
        await network.RegisterTrialAsync("trial:young-adults", maxAge: 35);

        // Only the sponsor asks; the site answers with a count, and below k with nothing but "suppressed".
        Assert.Equal(HttpStatusCode.Forbidden, (await network.SendAsync(eligible[0], HttpMethod.Post, $"api/v1/trials/{Trial}/screening")).Status);
        var screened = await network.SendAsync(network.ManagerKey, HttpMethod.Post, $"api/v1/trials/{Trial}/screening");
        Assert.Equal(HttpStatusCode.OK, screened.Status);
        // Six are eligible; the count is released under the site's sticky noise, the same each time it is asked.
        var released = ReleasedCount.Of(Node.DataDirectory, $"screening|{Trial}|org:local", 6);
        Assert.Equal(released, Nullable(ResearchNetwork.Parse(screened.Body).GetProperty("eligible")));
        Assert.Equal(released, Nullable(ResearchNetwork.Parse((await network.SendAsync(network.ManagerKey, HttpMethod.Post, $"api/v1/trials/{Trial}/screening")).Body).GetProperty("eligible")));
        var small = await network.SendAsync(network.ManagerKey, HttpMethod.Post, "api/v1/trials/trial:young-adults/screening");
        Assert.Equal(ReleasedCount.Of(Node.DataDirectory, "screening|trial:young-adults|org:local", 1), Nullable(ResearchNetwork.Parse(small.Body).GetProperty("eligible")));
        Assert.Equal(HttpStatusCode.Conflict, (await network.SendAsync(network.ManagerKey, HttpMethod.Post, "api/v1/trials/trial:young-adults/invitations")).Status);

        var invited = await network.SendAsync(network.ManagerKey, HttpMethod.Post, $"api/v1/trials/{Trial}/invitations");
        Assert.Equal(6, ResearchNetwork.Parse(invited.Body).GetProperty("invited").GetInt32());
        var again = await network.SendAsync(network.ManagerKey, HttpMethod.Post, $"api/v1/trials/{Trial}/invitations");
        Assert.Equal((HttpStatusCode.Conflict, TrialErrors.SmallCount), (again.Status, ResearchNetwork.Parse(again.Body).GetProperty("code").GetString()));

        // Who was invited stays with the site, encrypted: no file of its vault names an invited patient.
        Assert.True(File.Exists(Path.Combine(Node.DataDirectory, "vault", "research", "inbox.address")));
        foreach (var file in Directory.GetFiles(Path.Combine(Node.DataDirectory, "vault"), "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(ResearchNetwork.PatientId(eligible[0]), File.ReadAllText(file), StringComparison.Ordinal);
        }

        // The screening reads are on each consenting patient's access log; the patient who did not opt in was never read.
        var log = await network.SendAsync(eligible[0], HttpMethod.Get, $"api/v1/patients/{ResearchNetwork.PatientId(eligible[0])}/accesses");
        Assert.Contains(JsonSerializer.Deserialize<List<AccessEntry>>(log.Body, Client.CareLedgerClient.Json)!, e => e.Purpose == "HRESCH" && e.Accessor == "org:local" && e.Permit);
        var unread = await network.SendAsync(notOptedIn, HttpMethod.Get, $"api/v1/patients/{ResearchNetwork.PatientId(notOptedIn)}/accesses");
        Assert.DoesNotContain("HRESCH", unread.Body, StringComparison.Ordinal);

        // Inboxes: each eligible patient has one invitation; the others none.
        foreach (var (patient, expected) in eligible.Select(p => (p, 1)).Append((young, 1)).Append((notOptedIn, 0)).Append((outOfRange, 0)).Append((type1, 0)))
        {
            var inbox = await network.SendAsync(patient, HttpMethod.Get, "api/v1/research/invitations");
            Assert.Equal(expected, ResearchNetwork.Parse(inbox.Body).GetArrayLength());
        }

        // The investigator stores the consent form; the patient's trial key signs its hash.
        var form = Encoding.UTF8.GetBytes("Informed consent form, version 1: you may withdraw at any time.");
        var stored = await network.SendAsync(network.InvestigatorKey, HttpMethod.Put, $"api/v1/trials/{Trial}/documents/icf?kind=informed_consent_form",
            new ByteArrayContent(form));
        Assert.Equal(HttpStatusCode.OK, stored.Status);
        var formHash = Convert.ToHexStringLower(SHA256.HashData(form));
        var invitation = ResearchNetwork.Parse((await network.SendAsync(eligible[0], HttpMethod.Get, "api/v1/research/invitations")).Body)[0];
        Assert.Equal(formHash, invitation.GetProperty("consentFormHash").GetString());
        var id = invitation.GetProperty("invitation").GetString()!;

        using var trialKey = SigningKey.Generate();
        var wrongForm = Accept(trialKey, new string('c', 64));
        Assert.Equal(HttpStatusCode.Conflict, (await network.SendAsync(eligible[0], HttpMethod.Post, $"api/v1/research/invitations/{id}/accept", wrongForm)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await network.SendAsync(eligible[1], HttpMethod.Post, $"api/v1/research/invitations/{id}/accept", Accept(trialKey, formHash))).Status);
        var accepted = await network.SendAsync(eligible[0], HttpMethod.Post, $"api/v1/research/invitations/{id}/accept", Accept(trialKey, formHash));
        Assert.Equal(HttpStatusCode.OK, accepted.Status);
        Assert.Equal(SubjectSignatures.Pseudonym(trialKey.Id), ResearchNetwork.Parse(accepted.Body).GetProperty("subject").GetString());

        // The subject withdraws through the site with their trial key: no further data is accepted.
        var subject = SubjectSignatures.Pseudonym(trialKey.Id);
        var forged = ResearchNetwork.Json(JsonSerializer.Serialize(new { trial = Trial, subject, signature = Convert.ToBase64String(eligible[0].Sign(SubjectSignatures.Withdrawal(Trial, subject)).Span) }));
        Assert.Equal(HttpStatusCode.Conflict, (await network.SendAsync(eligible[0], HttpMethod.Post, "api/v1/research/withdrawals", forged)).Status);
        var withdrawal = ResearchNetwork.Json(JsonSerializer.Serialize(new { trial = Trial, subject, signature = Convert.ToBase64String(trialKey.Sign(SubjectSignatures.Withdrawal(Trial, subject)).Span) }));
        Assert.Equal(HttpStatusCode.NoContent, (await network.SendAsync(eligible[0], HttpMethod.Post, "api/v1/research/withdrawals", withdrawal)).Status);
        var data = await network.SendAsync(network.InvestigatorKey, HttpMethod.Put, $"api/v1/trials/{Trial}/documents/crf-1?kind=case_report_form&subject={subject}",
            new ByteArrayContent([1, 2, 3]));
        Assert.Equal((HttpStatusCode.Conflict, TrialErrors.Withdrawn), (data.Status, ResearchNetwork.Parse(data.Body).GetProperty("code").GetString()));

        // What the sponsor can see names no patient, enrolled or not.
        var view = await network.SendAsync(network.ManagerKey, HttpMethod.Get, $"api/v1/trials/{Trial}");
        Assert.Equal(1, ResearchNetwork.Parse(view.Body).GetProperty("trial").GetProperty("enrolled").GetInt32());
        var trialState = string.Concat(Node.Ledger.Store.ScanState("trial/", 100_000).Select(r => r.Key + Encoding.UTF8.GetString(r.Value)));
        foreach (var patient in network.Patients)
        {
            Assert.DoesNotContain(ResearchNetwork.PatientId(patient), view.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(ResearchNetwork.PatientId(patient), trialState, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_trial_document_changed_after_anchoring_matches_no_version()
    {
        using var network = await ResearchNetwork.CreateAsync(Node);
        await network.RegisterTrialAsync(Trial, maxAge: 75);
        var protocol = Encoding.UTF8.GetBytes("Protocol v1: primary endpoint HbA1c change at week 26.");
        Assert.Equal(HttpStatusCode.Forbidden, (await network.SendAsync(network.ManagerKey, HttpMethod.Put, $"api/v1/trials/{Trial}/documents/protocol?kind=protocol",
            new ByteArrayContent(protocol))).Status);
        Assert.Equal(HttpStatusCode.OK, (await network.SendAsync(network.InvestigatorKey, HttpMethod.Put, $"api/v1/trials/{Trial}/documents/protocol?kind=protocol",
            new ByteArrayContent(protocol))).Status);
        Assert.Equal(HttpStatusCode.OK, (await network.SendAsync(network.InvestigatorKey, HttpMethod.Put, $"api/v1/trials/{Trial}/documents/protocol?kind=protocol",
            new ByteArrayContent(Encoding.UTF8.GetBytes("Protocol v2")))).Status);

        var original = ResearchNetwork.Parse((await network.SendAsync(network.ManagerKey, HttpMethod.Post, $"api/v1/trials/{Trial}/documents/protocol/verify",
            new ByteArrayContent(protocol))).Body);
        Assert.Equal((1, false, true), (original.GetProperty("matchesVersion").GetInt32(), original.GetProperty("altered").GetBoolean(), original.GetProperty("superseded").GetBoolean()));
        var altered = ResearchNetwork.Parse((await network.SendAsync(network.ManagerKey, HttpMethod.Post, $"api/v1/trials/{Trial}/documents/protocol/verify",
            new ByteArrayContent(Encoding.UTF8.GetBytes("Protocol v1: primary endpoint fasting glucose at week 12.")))).Body);
        Assert.True(altered.GetProperty("altered").GetBoolean());
        Assert.Equal(JsonValueKind.Null, altered.GetProperty("matchesVersion").ValueKind);

        var content = await network.SendAsync(network.SponsorKey, HttpMethod.Get, $"api/v1/trials/{Trial}/documents/protocol/content?version=1");
        Assert.Equal((HttpStatusCode.OK, "Protocol v1: primary endpoint HbA1c change at week 26."), content);
        var patient = await network.PatientAsync("1970-01-01", "E11.9", 8.0m, research: false);
        Assert.Equal(HttpStatusCode.Forbidden, (await network.SendAsync(patient, HttpMethod.Get, $"api/v1/trials/{Trial}/documents/protocol/content")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await network.SendAsync(network.SponsorKey, HttpMethod.Get, "api/v1/trials/trial:none/documents/protocol/content")).Status);
    }

    private static StringContent Accept(SigningKey trialKey, string consentHash) => ResearchNetwork.Json(JsonSerializer.Serialize(new
    {
        publicKey = ResearchNetwork.Spki(trialKey),
        consentHash,
        consentSignature = Convert.ToBase64String(trialKey.Sign(SubjectSignatures.Consent(Trial, consentHash)).Span),
    }));

    private static long? Nullable(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetInt64();
}
