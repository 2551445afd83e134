using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Identity;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Testing;

namespace CareLedger.Ledger.Tests.Contracts;

/// <summary>A chain with a hospital (org:founder-0), an insurer (org:founder-1), a patient and a few staff.</summary>
internal sealed class ConsentFixture : IDisposable
{
    public ConsentFixture()
    {
        Chain = TestChain.InMemory(governingOrganisations: 2);
        Patient = SigningKey.Generate();
        PatientId = IdentityKeys.PatientIdFor(Patient.Id);
        Chain.Commit(Chain.Sign(Patient, "identity.register_patient", $$"""{"publicKey":"{{Spki(Patient)}}"}"""));
        Members = new Dictionary<string, SigningKey>
        {
            ["member:doctor"] = Enrol("member:doctor", 0, "clinician"),
            ["member:nurse"] = Enrol("member:nurse", 0, "nurse"),
            ["member:er-doctor"] = Enrol("member:er-doctor", 0, "clinician", "emergency"),
            ["member:officer"] = Enrol("member:officer", 0, "privacy-officer"),
            ["member:adjuster"] = Enrol("member:adjuster", 1, "clinician"),
            ["member:registrar"] = Enrol("member:registrar", 0, "registrar"),
            ["member:researcher"] = Enrol("member:researcher", 0, "researcher"),
            ["member:claims"] = Enrol("member:claims", 1, "claims_officer"),
            ["member:insurer-registrar"] = Enrol("member:insurer-registrar", 1, "registrar"),
        };
    }

    public TestChain Chain { get; }

    public SigningKey Patient { get; }

    public string PatientId { get; }

    public IReadOnlyDictionary<string, SigningKey> Members { get; }

    public static string Spki(SigningKey key) => Convert.ToBase64String(key.PublicKey.SubjectPublicKeyInfo);

    public TransactionResult Submit(SigningKey signer, string type, string args) =>
        Assert.Single(Chain.Commit(Chain.Sign(signer, type, args)).Results);

    public Caller CallerOf(SigningKey key) => Caller.Resolve(Chain.Engine.State, key.Id)!;

    public AccessDecision Decide(SigningKey caller, RecordRef record, string action = "read", string purpose = PurposeOfUse.Treatment, long? time = null) =>
        AccessDecisionPoint.Decide(Chain.Engine.State, new AccessRequest(CallerOf(caller), PatientId, record, action, purpose, time ?? Chain.Now));

    private SigningKey Enrol(string id, int org, params string[] roles)
    {
        var key = SigningKey.Generate();
        var result = Submit(Chain.OrgKeys[org], "identity.enrol_member",
            $$"""{"member":"{{id}}","roles":[{{string.Join(',', roles.Select(r => $"\"{r}\""))}}],"publicKey":"{{Spki(key)}}"}""");
        Assert.Equal(TransactionStatus.Committed, result.Status);
        return key;
    }

    public void Dispose()
    {
        Chain.Dispose();
        Patient.Dispose();
        foreach (var key in Members.Values)
        {
            key.Dispose();
        }
    }
}
