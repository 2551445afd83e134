using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Identity;
using CareLedger.Contracts.Trials;
using CareLedger.Core.Crypto;
using CareLedger.Node.Research;

namespace CareLedger.Node.Demo;

internal sealed partial class DemoNetwork
{
    private const string Trial = "trial:glp1-2027";

    /// <summary>
    /// Research on top of the care data: regions for statistics; a sponsor registers a trial at the hospital with Dr Ada as investigator;
    /// thirty patients open their records to research, the site screens them and invites the eligible; the first invited patient enrols
    /// with a trial key; six patients share synthetic VCFs for research, one access request is paid; the hospital reports weekly
    /// norovirus cases; the regulator grants the sponsor a privacy budget.
    /// </summary>
    private async Task SeedResearchAsync(SigningKey founder, Dictionary<string, SigningKey> orgKeys, Caller ada, List<SigningKey> patients, StringBuilder who,
        CancellationToken stoppingToken)
    {
        await CommitAsync(founder, "stats.set_region", Json(new() { ["region"] = "US-MA" }), stoppingToken);
        foreach (var org in new[] { "org:riverside-clinic", "org:city-pharmacy" })
        {
            await CommitAsync(orgKeys[org], "stats.set_region", Json(new() { ["region"] = "US-MA" }), stoppingToken);
        }

        var sponsor = Save(SigningKey.Generate(), "org-nova-trials");
        var manager = Save(SigningKey.Generate(), "member-tm-noor");
        await CommitAsync(founder, "identity.propose_organisation", Json(new()
        {
            ["organisation"] = "org:nova-trials", ["kind"] = "ResearchSponsor", ["governing"] = false,
            ["publicKeys"] = new JsonArray(Convert.ToBase64String(sponsor.PublicKey.SubjectPublicKeyInfo)),
        }), stoppingToken);
        await CommitAsync(sponsor, "identity.enrol_member", Member("member:tm-noor", ["trial_manager"], manager), stoppingToken);
        who.AppendLine("org:nova-trials (ResearchSponsor): demo-keys/org-nova-trials.key")
            .AppendLine("member:tm-noor (trial manager, org:nova-trials): demo-keys/member-tm-noor.key");
        await CommitAsync(manager, "trial.register", Json(new()
        {
            ["trial"] = Trial, ["title"] = "Weekly GLP-1 agonist versus placebo in adults with raised HbA1c",
            ["protocolHash"] = Sha256("Protocol GLP1-2027 v1"), ["sapHash"] = Sha256("Statistical analysis plan GLP1-2027 v1"),
            ["primaryEndpoints"] = new JsonArray("HbA1c change from baseline at week 26"),
            ["secondaryEndpoints"] = new JsonArray("Body weight change at week 26", "Hypoglycaemic events"),
            ["eligibility"] = new JsonObject { ["labs"] = new JsonArray(new JsonObject { ["code"] = "4548-4", ["min"] = "6.0", ["max"] = "10.5" }) },
            ["sites"] = new JsonArray(new JsonObject { ["site"] = "org:local", ["investigator"] = "member:dr-ada" }),
        }), stoppingToken);
        var form = Encoding.UTF8.GetBytes("GLP1-2027 informed consent form, version 1 (synthetic demo).");
        if (await trialDocuments.StoreAsync(ada, Trial, "icf", "informed_consent_form", null, form, "text/plain", stoppingToken) is { Refusal: { } stored })
        {
            throw new InvalidOperationException($"demo: consent form: {stored.Code} {stored.Message}");
        }

        // Thirty patients open their records here to research; the sponsor asks for a count and invitations.
        await Task.WhenAll(patients.Take(30).Select(p => CommitAsync(p, "consent.grant", Json(new()
        {
            ["patient"] = IdentityKeys.PatientIdFor(p.Id),
            ["grantee"] = new JsonObject { ["kind"] = "organisation", ["id"] = "org:local" },
            ["actions"] = new JsonArray("read"),
            ["purposes"] = new JsonArray(PurposeOfUse.Research),
            ["expires"] = DateTimeOffset.UtcNow.AddDays(365).ToUnixTimeMilliseconds(),
        }), stoppingToken)));
        var tm = Caller.Resolve(node.Engine.State, manager.Id)!;
        await research.PostCountAsync(tm, Trial, stoppingToken);
        await research.InviteAsync(tm, Trial, stoppingToken);
        var invitee = patients.FirstOrDefault(p => research.InvitationsOf(IdentityKeys.PatientIdFor(p.Id)).Count > 0);
        if (invitee is not null)
        {
            var number = patients.IndexOf(invitee) + 1;
            var trialKey = Save(SigningKey.Generate(), $"patient-{number:00}-trial-glp1");
            var invitation = research.InvitationsOf(IdentityKeys.PatientIdFor(invitee.Id))[0];
            await research.AcceptAsync(new Caller("patient", IdentityKeys.PatientIdFor(invitee.Id), "", []), invitation.Invitation,
                new AcceptInvitation(Convert.ToBase64String(trialKey.PublicKey.SubjectPublicKeyInfo), invitation.ConsentFormHash!,
                    Convert.ToBase64String(trialKey.Sign(SubjectSignatures.Consent(Trial, invitation.ConsentFormHash!)).Span)), stoppingToken);
            who.AppendLine(CultureInfo.InvariantCulture, $"patient {number:00} is enrolled in {Trial} under the trial key demo-keys/patient-{number:00}-trial-glp1.key");
        }

        // Six patients share synthetic exomes; five carry the demo variant, so a beacon query answers 5.
        await CommitAsync(sponsor, "ins.fund", Json(new() { ["amount"] = 1_000_000L, ["currency"] = "USD" }), stoppingToken);
        for (var i = 0; i < 6; i++)
        {
            var owner = patients[40 + i];
            var ownerId = IdentityKeys.PatientIdFor(owner.Id);
            var vcf = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tSAMPLE\n"
                + $"chr17\t43045712\t.\tG\tA\t60\tPASS\t.\tGT\t{(i < 5 ? "0/1" : "0/0")}\n";
            var (dataset, refusal) = await genomics.RegisterAsync(new Caller("patient", ownerId, "", []), new DatasetUpload(null, "wes", "grch38", 100),
                Encoding.UTF8.GetBytes(vcf), stoppingToken);
            if (refusal is not null)
            {
                throw new InvalidOperationException($"demo: dataset: {refusal.Code} {refusal.Message}");
            }
            await CommitAsync(owner, "gen.list", Json(new()
            {
                ["dataset"] = dataset!.Id, ["price"] = 25_000L, ["currency"] = "USD", ["purposes"] = new JsonArray("disease_research"),
                ["durationDays"] = 90L, ["commercial"] = false, ["autoApprove"] = i == 0, ["beacon"] = true,
            }), stoppingToken);
            if (i == 0)
            {
                await CommitAsync(manager, "gen.request", Json(new()
                {
                    ["request"] = "greq:demo-1", ["dataset"] = dataset.Id, ["purpose"] = "disease_research", ["commercial"] = false,
                }), stoppingToken);
            }
        }

        // Weekly norovirus (A08.1) reports with a rise in the last week; a privacy budget of ε 2 for the sponsor.
        var week = DateTime.UtcNow.AddDays(-7 * 10);
        long[] cases = [6, 8, 7, 9, 6, 8, 7, 9, 8, 31];
        for (var i = 0; i < cases.Length; i++, week = week.AddDays(7))
        {
            await CommitAsync(founder, "stats.report_cases", Json(new()
            {
                ["condition"] = "A08.1", ["count"] = cases[i],
                ["week"] = $"{ISOWeek.GetYear(week)}-W{ISOWeek.GetWeekOfYear(week):00}",
            }), stoppingToken);
        }
        await CommitAsync(orgKeys["org:medicines-agency"], "stats.grant_budget", Json(new() { ["analyst"] = "member:tm-noor", ["epsilon"] = 2_000L }), stoppingToken);
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
