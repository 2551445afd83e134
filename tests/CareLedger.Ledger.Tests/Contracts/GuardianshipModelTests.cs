using CareLedger.Contracts.Consent;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Testing;

namespace CareLedger.Ledger.Tests.Contracts;

/// <summary>
/// Guardianships and appointments against a reference model over random histories: who may record, contest, resolve and end them,
/// that none in force is ever replaced, and who acts for the patient after every block.
/// </summary>
public class GuardianshipModelTests
{
    private sealed record ModelDelegation(string Basis, string RecordedBy, string Status, long Expires);

    private static readonly string[] Delegates = ["member:doctor", "member:nurse", "member:adjuster"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Guardianship_matches_the_reference_model_over_random_histories(int seed)
    {
        var random = new Random(seed);
        using var f = new ConsentFixture();
        // org:founder-0 (a hospital) cares for the patient; org:founder-1 (an insurer) does not. Both govern.
        Assert.Equal(TransactionStatus.Committed, f.Submit(f.Chain.OrgKeys[0], "identity.attest_patient", $$"""{"patient":"{{f.PatientId}}"}""").Status);
        var model = new Dictionary<string, ModelDelegation>();
        var actors = new (string Name, SigningKey Key, string Organisation, bool Registrar)[]
        {
            ("hospital", f.Chain.OrgKeys[0], "org:founder-0", true), ("insurer", f.Chain.OrgKeys[1], "org:founder-1", true),
            ("registrar", f.Members["member:registrar"], "org:founder-0", true), ("insurer-registrar", f.Members["member:insurer-registrar"], "org:founder-1", true),
            ("doctor", f.Members["member:doctor"], "org:founder-0", false), ("patient", f.Patient, "", false),
        };
        var (committed, refused) = (0, 0);

        for (var step = 0; step < 40; step++)
        {
            var operation = random.Next(5);
            // Three times in four an actor who might be allowed, otherwise anyone.
            string[] plausible = operation switch
            {
                0 => ["hospital", "registrar"],
                1 or 4 => ["patient"],
                2 => ["hospital", "insurer"],
                _ => ["registrar", "patient"],
            };
            var name = plausible[random.Next(plausible.Length)];
            var actor = random.Next(4) > 0 ? actors.Single(a => a.Name == name) : actors[random.Next(actors.Length)];
            var proxy = Delegates[random.Next(Delegates.Length)];
            var blockTime = f.Chain.Now + 1000;
            model.TryGetValue(proxy, out var current);
            var inForce = current is { Status: "active" or "contested" } && blockTime < current.Expires;
            var isGuardianship = current is { Basis: "court-order" };
            var expires = blockTime + (random.Next(3, 12) * 1000);
            bool expected;
            ModelDelegation? after = current;
            string type, args;
            switch (operation)
            {
                case 0:
                    type = "consent.record_guardianship";
                    var registrar = actor.Name is "hospital" or "insurer" ? (actor.Name == "hospital" ? "member:registrar" : "member:insurer-registrar") : null;
                    args = $$"""{"patient":"{{f.PatientId}}","delegate":"{{proxy}}","mandate":["read"],"basis":"court-order","orderHash":"{{TestChain.RandomHash()}}",{{(registrar is null ? "" : $"\"registrar\":\"{registrar}\",")}}"expires":{{expires}}}""";
                    expected = actor.Registrar && actor.Organisation == "org:founder-0" && !inForce;
                    after = expected ? new ModelDelegation("court-order", "org:founder-0", "active", expires) : current;
                    break;
                case 1:
                    type = "consent.contest_guardianship";
                    args = $$"""{"patient":"{{f.PatientId}}","delegate":"{{proxy}}","reasonHash":"{{TestChain.RandomHash()}}"}""";
                    // Only the patient may: the hospital recorded every guardianship and no other organisation cares for the patient.
                    expected = isGuardianship && actor.Name == "patient" && current!.Status == "active";
                    after = expected ? current! with { Status = "contested" } : current;
                    break;
                case 2:
                    type = "consent.resolve_guardianship";
                    var upheld = random.Next(2) == 0;
                    args = $$"""{"patient":"{{f.PatientId}}","delegate":"{{proxy}}","upheld":{{(upheld ? "true" : "false")}}}""";
                    // A governing organisation other than the recorder (the hospital recorded every guardianship here).
                    expected = actor.Name == "insurer" && isGuardianship && current!.Status == "contested";
                    after = expected ? current! with { Status = upheld ? "active" : "ended" } : current;
                    break;
                case 3:
                    type = "consent.end_delegation";
                    args = $$"""{"patient":"{{f.PatientId}}","delegate":"{{proxy}}"}""";
                    expected = current is not null && (isGuardianship ? actor.Organisation == current.RecordedBy && actor.Registrar : actor.Name == "patient");
                    after = expected ? current! with { Status = "ended" } : current;
                    break;
                default:
                    type = "consent.appoint_delegate";
                    args = $$"""{"delegate":"{{proxy}}","mandate":["read"],"expires":{{expires}}}""";
                    expected = actor.Name == "patient" && !inForce;
                    after = expected ? new ModelDelegation("appointment", f.PatientId, "active", expires) : current;
                    break;
            }
            var result = f.Submit(actor.Key, type, args);
            Assert.True(expected == (result.Status == TransactionStatus.Committed),
                $"seed {seed} step {step}: {actor.Name} {type} for {proxy} (model {current}): expected {(expected ? "commit" : "refusal")}, got {result.Status} {result.Code}");
            (committed, refused) = expected ? (committed + 1, refused) : (committed, refused + 1);
            if (after is not null)
            {
                model[proxy] = after;
            }

            foreach (var d in Delegates)
            {
                var acts = model.TryGetValue(d, out var m) && m.Status == "active" && f.Chain.Now < m.Expires;
                Assert.True(acts == AccessDecisionPoint.ActsForPatient(f.Chain.Engine.State, f.CallerOf(f.Members[d]), f.PatientId, "read", f.Chain.Now),
                    $"seed {seed} step {step}: {d} acts for the patient per the model: {acts}");
            }
        }
        Assert.True(committed > 3 && refused > 3, $"committed {committed}, refused {refused}");
    }
}
