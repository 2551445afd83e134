using CareLedger.Contracts.Consent;
using CareLedger.Core.Ledger;
using CareLedger.Testing;

namespace CareLedger.Ledger.Tests.Contracts;

/// <summary>
/// The decision point against a small reference model over random histories of grants, revocations,
/// expiry, delegations (appointed, replaced, ended) and break-glass access.
/// </summary>
public class AccessDecisionPointTests
{
    private sealed record ModelGrant(string Id, string GranteeKind, string GranteeId, string? GranteeOrg, string[] Categories, string[] Types,
        string[] Actions, string[] Purposes, long NotBefore, long Expires)
    {
        public bool Revoked { get; set; }
    }

    private sealed record ModelDelegation(string Delegate, string[] Mandate, long NotBefore, long Expires)
    {
        public bool Ended { get; set; }
    }

    private sealed record ModelEmergency(string Id, string Clinician, long OpenedAt, long Expires)
    {
        public bool Reviewed { get; set; }

        public bool Unjustified { get; set; }
    }

    private static readonly string[] Staff = ["member:doctor", "member:nurse", "member:adjuster", "member:er-doctor", "member:researcher", "member:claims"];
    private static readonly (string Kind, string Id, string? Org)[] Grantees =
    [
        ("member", "member:doctor", null), ("member", "member:nurse", null), ("organisation", "org:founder-0", null),
        ("organisation", "org:founder-1", null), ("role", "clinician", "org:founder-0"), ("role", "clinician", "org:founder-1"),
    ];
    private static readonly string[] Categories = ["laboratory", "imaging", "clinical-note"];
    private static readonly string[] Types = ["Observation", "DiagnosticReport", "DocumentReference"];
    private static readonly string[] Actions = ["read", "append"];
    private static readonly string[] Purposes = [PurposeOfUse.Treatment, PurposeOfUse.Payment, PurposeOfUse.Research, PurposeOfUse.Emergency];
    private static readonly Dictionary<string, (string Org, string[] Roles)> StaffFacts = new()
    {
        ["member:doctor"] = ("org:founder-0", ["clinician"]),
        ["member:nurse"] = ("org:founder-0", ["nurse"]),
        ["member:adjuster"] = ("org:founder-1", ["clinician"]),
        ["member:er-doctor"] = ("org:founder-0", ["clinician", "emergency"]),
        ["member:researcher"] = ("org:founder-0", ["researcher"]),
        ["member:claims"] = ("org:founder-1", ["claims_officer"]),
    };

    // The purpose a caller may claim, as a table: org:founder-0 is a hospital, org:founder-1 an insurer.
    private static bool ModelMayClaim(string org, string[] roles, string purpose) => purpose switch
    {
        PurposeOfUse.Treatment or PurposeOfUse.Emergency => org == "org:founder-0" && roles.Intersect(["clinician", "nurse", "emergency"]).Any(),
        PurposeOfUse.Payment => org == "org:founder-1" && roles.Contains("claims_officer"),
        PurposeOfUse.Research => org == "org:founder-0" && roles.Contains("researcher"),
        _ => false,
    };

    private static string[] Subset(Random random, string[] of, bool allowEmpty)
    {
        var picked = of.Where(_ => random.Next(2) == 0).ToArray();
        return picked.Length == 0 && !allowEmpty ? [of[random.Next(of.Length)]] : picked;
    }

    private static string Json(IEnumerable<string> values) => "[" + string.Join(',', values.Select(v => $"\"{v}\"")) + "]";

    private static bool ModelPermits(IEnumerable<ModelGrant> grants, IReadOnlyDictionary<string, ModelDelegation> delegations,
        IEnumerable<ModelEmergency> emergencies, string caller, RecordRef record, string action, string purpose, long time)
    {
        var (org, roles) = StaffFacts[caller];
        if (delegations.TryGetValue(caller, out var d) && !d.Ended && d.NotBefore <= time && time < d.Expires && d.Mandate.Contains(action))
        {
            return true;
        }
        if (!ModelMayClaim(org, roles, purpose))
        {
            return false;
        }
        if (purpose == PurposeOfUse.Emergency && emergencies.Any(e => e.Clinician == caller && !e.Unjustified && e.OpenedAt <= time && time < e.Expires))
        {
            return true;
        }
        return grants.Any(g => !g.Revoked && g.NotBefore <= time && time < g.Expires
            && g.GranteeKind switch
            {
                "member" => g.GranteeId == caller,
                "organisation" => g.GranteeId == org,
                _ => g.GranteeOrg == org && roles.Contains(g.GranteeId),
            }
            && g.Actions.Contains(action) && g.Purposes.Contains(purpose)
            && (g.Categories.Length == 0 || g.Categories.Contains(record.Category))
            && (g.Types.Length == 0 || g.Types.Contains(record.ResourceType)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Decisions_match_the_reference_model_over_random_histories(int seed)
    {
        var random = new Random(seed);
        using var f = new ConsentFixture();
        var model = new List<ModelGrant>();
        var delegations = new Dictionary<string, ModelDelegation>();
        var emergencies = new List<ModelEmergency>();
        var (permits, denies) = (0, 0);
        for (var step = 0; step < 25; step++)
        {
            var roll = random.Next(13);
            if (roll == 10)
            {
                // The patient appoints a proxy among the staff; one still in force is never replaced.
                var proxy = Staff[random.Next(Staff.Length)];
                var mandate = Subset(random, ["read", "append", "grant"], allowEmpty: false);
                var expires = f.Chain.Now + (random.Next(2, 10) * 1000);
                var inForce = delegations.TryGetValue(proxy, out var current) && !current.Ended && f.Chain.Now + 1000 < current.Expires;
                var appointed = f.Submit(f.Patient, "consent.appoint_delegate", $$"""{"delegate":"{{proxy}}","mandate":{{Json(mandate)}},"expires":{{expires}}}""");
                if (inForce)
                {
                    Assert.Equal(ConsentErrors.DelegationExists, appointed.Code);
                }
                else
                {
                    Assert.Equal(TransactionStatus.Committed, appointed.Status);
                    delegations[proxy] = new ModelDelegation(proxy, mandate, f.Chain.Now, expires);
                }
            }
            else if (roll == 11 && delegations.Values.Any(d => !d.Ended))
            {
                var ended = delegations.Values.First(d => !d.Ended);
                Assert.Equal(TransactionStatus.Committed, f.Submit(f.Patient, "consent.end_delegation",
                    $$"""{"patient":"{{f.PatientId}}","delegate":"{{ended.Delegate}}"}""").Status);
                ended.Ended = true;
            }
            else if (roll == 12)
            {
                // Break-glass; an access still waiting for review must be reviewed first, and an unjustified one ends at once.
                var hours = random.Next(1, 3);
                var breakGlass = $$"""{"patient":"{{f.PatientId}}","reasonCode":"unconscious","reasonHash":"{{TestChain.RandomHash()}}","hours":{{hours}}}""";
                if (emergencies.FirstOrDefault(e => !e.Reviewed) is { } pending)
                {
                    Assert.Equal(ConsentErrors.ReviewPending, f.Submit(f.Members["member:er-doctor"], "consent.break_glass", breakGlass).Code);
                    var justified = random.Next(2) == 0;
                    Assert.Equal(TransactionStatus.Committed, f.Submit(f.Members["member:officer"], "consent.review_emergency",
                        $$"""{"emergency":"{{pending.Id}}","justified":{{(justified ? "true" : "false")}}}""").Status);
                    pending.Reviewed = true;
                    pending.Unjustified = !justified;
                }
                var opened = f.Submit(f.Members["member:er-doctor"], "consent.break_glass", breakGlass);
                Assert.Equal(TransactionStatus.Committed, opened.Status);
                emergencies.Add(new ModelEmergency(opened.TransactionId.ToString(), "member:er-doctor", f.Chain.Now, f.Chain.Now + (hours * 3_600_000L)));
            }
            else if (roll < 6)
            {
                var (kind, id, org) = Grantees[random.Next(Grantees.Length)];
                var grantee = org is null ? $$"""{"kind":"{{kind}}","id":"{{id}}"}""" : $$"""{"kind":"{{kind}}","id":"{{id}}","organisation":"{{org}}"}""";
                var categories = Subset(random, Categories, allowEmpty: true);
                var types = Subset(random, Types, allowEmpty: true);
                var actions = Subset(random, Actions, allowEmpty: false);
                var purposes = Subset(random, Purposes, allowEmpty: false);
                var notBefore = f.Chain.Now + (random.Next(-3, 4) * 1000);
                var expires = notBefore + (random.Next(1, 8) * 1000);
                var result = f.Submit(f.Patient, "consent.grant",
                    $$"""{"patient":"{{f.PatientId}}","grantee":{{grantee}},"categories":{{Json(categories)}},"resourceTypes":{{Json(types)}},"actions":{{Json(actions)}},"purposes":{{Json(purposes)}},"notBefore":{{notBefore}},"expires":{{expires}}}""");
                if (result.Status == TransactionStatus.Committed)
                {
                    model.Add(new ModelGrant(result.TransactionId.ToString(), kind, id, org, categories, types, actions, purposes, notBefore, expires));
                }
                else
                {
                    // The only refusal a well-formed random grant may meet: it would already have expired.
                    Assert.Equal(ConsentErrors.BadGrant, result.Code);
                }
            }
            else if (roll < 8 && model.Any(g => !g.Revoked))
            {
                var victim = model.Where(g => !g.Revoked).ElementAt(random.Next(model.Count(g => !g.Revoked)));
                Assert.Equal(TransactionStatus.Committed, f.Submit(f.Patient, "consent.revoke", $$"""{"grant":"{{victim.Id}}"}""").Status);
                victim.Revoked = true;
            }
            else
            {
                f.Chain.Commit();
            }

            for (var q = 0; q < 30; q++)
            {
                var caller = Staff[random.Next(Staff.Length)];
                var record = new RecordRef($"record:{random.Next(3)}", Categories[random.Next(Categories.Length)], Types[random.Next(Types.Length)]);
                var action = Actions[random.Next(Actions.Length)];
                var purpose = Purposes[random.Next(Purposes.Length)];
                var time = random.Next(5) == 0 ? f.Chain.Now + (random.Next(0, 4) * 3_600_000L) : f.Chain.Now + (random.Next(-4, 6) * 1000);
                var decision = f.Decide(f.Members[caller], record, action, purpose, time);
                Assert.True(ModelPermits(model, delegations, emergencies, caller, record, action, purpose, time) == decision.Permit,
                    $"seed {seed} step {step}: {caller} {action} {purpose} {record} at {time}: model and decision point disagree ({decision.Reason})");
                if (decision.Permit)
                {
                    permits++;
                    Assert.True(decision.GrantId is null || model.Any(g => g.Id == decision.GrantId), $"unknown grant {decision.GrantId}");
                }
                else
                {
                    denies++;
                }
            }
        }
        // A history that only ever denies (or only permits) would test nothing.
        Assert.True(permits > 0 && denies > 0, $"permits {permits}, denies {denies}");
    }
}
