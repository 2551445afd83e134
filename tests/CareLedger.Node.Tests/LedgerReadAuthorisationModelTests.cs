using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Identity;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Node.Auth;
using CareLedger.Testing;

namespace CareLedger.Node.Tests;

/// <summary>
/// Who may read a transaction's contents, against a small reference model over random histories of grants, delegations, access
/// requests and anchors between random identities: its signer (or the signer's organisation), whom it names, active delegates of a
/// patient it names, auditors, and the operator.
/// </summary>
public sealed class LedgerReadAuthorisationModelTests : IDisposable
{
    private readonly TestChain _chain = TestChain.InMemory(governingOrganisations: 2);
    private readonly Dictionary<string, SigningKey> _keys = [];
    private readonly Dictionary<string, string> _organisationOf = [];

    public void Dispose()
    {
        _chain.Dispose();
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }

    private TransactionResult Commit(SigningKey key, string type, string args) => Assert.Single(_chain.Commit(_chain.Sign(key, type, args)).Results);

    private void Enrol(string member, int organisation, string role)
    {
        var key = _keys[member] = SigningKey.Generate();
        _organisationOf[member] = $"org:founder-{organisation}";
        Assert.Equal(TransactionStatus.Committed, Commit(_chain.OrgKeys[organisation], "identity.enrol_member",
            $$"""{"member":"{{member}}","roles":["{{role}}"],"publicKey":"{{Convert.ToBase64String(key.PublicKey.SubjectPublicKeyInfo)}}"}""").Status);
    }

    private string Register()
    {
        var key = SigningKey.Generate();
        var id = IdentityKeys.PatientIdFor(key.Id);
        _keys[id] = key;
        Assert.Equal(TransactionStatus.Committed, Commit(key, "identity.register_patient",
            $$"""{"publicKey":"{{Convert.ToBase64String(key.PublicKey.SubjectPublicKeyInfo)}}"}""").Status);
        return id;
    }

    private sealed record ModelTransaction(Hash Id, string Signer, HashSet<string> Named);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Read_authorisation_matches_the_reference_model_over_random_histories(int seed)
    {
        var random = new Random(seed);
        _organisationOf["org:founder-0"] = "org:founder-0";
        _organisationOf["org:founder-1"] = "org:founder-1";
        Enrol("member:doctor", 0, "clinician");
        Enrol("member:nurse", 0, "nurse");
        Enrol("member:claims", 1, "claims_officer");
        Enrol("member:auditor", 1, "auditor");
        var patients = Enumerable.Range(0, 3).Select(_ => Register()).ToList();
        var members = new[] { "member:doctor", "member:nurse", "member:claims" };
        var delegations = new Dictionary<(string Patient, string Delegate), long>();
        var history = new List<ModelTransaction>();
        var (seen, hidden) = (0, 0);

        for (var step = 0; step < 30; step++)
        {
            var roll = random.Next(4);
            var patient = patients[random.Next(patients.Count)];
            var expires = _chain.Now + (random.Next(2, 8) * 1000);
            if (roll == 0)
            {
                var grantee = random.Next(3) == 0 ? $"org:founder-{random.Next(2)}" : members[random.Next(members.Length)];
                var kind = grantee.StartsWith("org:", StringComparison.Ordinal) ? "organisation" : "member";
                var result = Commit(_keys[patient], "consent.grant",
                    $$"""{"patient":"{{patient}}","grantee":{"kind":"{{kind}}","id":"{{grantee}}"},"actions":["read"],"purposes":["TREAT"],"expires":{{expires}}}""");
                history.Add(new ModelTransaction(result.TransactionId, patient, [patient, grantee]));
            }
            else if (roll == 1)
            {
                var proxy = random.Next(2) == 0 ? members[random.Next(members.Length)] : patients[random.Next(patients.Count)];
                if (proxy == patient || delegations.TryGetValue((patient, proxy), out var until) && _chain.Now + 1000 < until)
                {
                    continue;
                }
                var result = Commit(_keys[patient], "consent.appoint_delegate", $$"""{"delegate":"{{proxy}}","mandate":["read"],"expires":{{expires}}}""");
                Assert.Equal(TransactionStatus.Committed, result.Status);
                delegations[(patient, proxy)] = expires;
                history.Add(new ModelTransaction(result.TransactionId, patient, [patient, proxy]));
            }
            else if (roll == 2)
            {
                var requester = members[random.Next(members.Length)];
                var result = Commit(_keys[requester], "consent.request_access", $$"""{"patient":"{{patient}}","actions":["read"],"purposes":["TREAT"],"reason":"referral"}""");
                history.Add(new ModelTransaction(result.TransactionId, requester, [patient, requester]));
            }
            else
            {
                var organisation = random.Next(2);
                var result = Commit(_chain.OrgKeys[organisation], "notary.anchor", $$"""{"hash":"{{TestChain.RandomHash()}}","documentType":"lab-report"}""");
                history.Add(new ModelTransaction(result.TransactionId, $"org:founder-{organisation}", []));
            }

            var now = _chain.Now;
            var callers = patients.Concat(members).Append("member:auditor").Append("org:founder-0").Append("org:founder-1");
            foreach (var tx in history)
            {
                var stored = _chain.Store.GetTransaction(tx.Id)!;
                foreach (var id in callers)
                {
                    var caller = Caller.ById(_chain.Engine.State, id)!;
                    var model = id == "member:auditor"
                        || tx.Signer == id
                        || id.StartsWith("org:", StringComparison.Ordinal) && _organisationOf.GetValueOrDefault(tx.Signer) == id
                        || tx.Named.Contains(id)
                        || tx.Named.Any(p => delegations.TryGetValue((p, id), out var until) && now < until);
                    var actual = LedgerReadAuthorisation.MaySeeContents(_chain.Engine.State, caller, operatorOrganisation: null, stored, now);
                    Assert.True(model == actual, $"seed {seed} step {step}: {id} on {stored.Transaction.Type} signed by {tx.Signer}: model {model}, actual {actual}");
                    (seen, hidden) = actual ? (seen + 1, hidden) : (seen, hidden + 1);
                }
                // The operator sees everything on its own node.
                Assert.True(LedgerReadAuthorisation.MaySeeContents(_chain.Engine.State, Caller.ById(_chain.Engine.State, "org:founder-1")!, "org:founder-1", stored, now));
            }
        }
        Assert.True(seen > 0 && hidden > 0, $"seen {seen}, hidden {hidden}");
    }
}
