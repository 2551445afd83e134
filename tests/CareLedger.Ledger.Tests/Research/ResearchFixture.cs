using CareLedger.Contracts;
using CareLedger.Contracts.Trials;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Ledger.Tests.Insurance;
using CareLedger.Ledger.Tests.SupplyChain;

namespace CareLedger.Ledger.Tests.Research;

/// <summary>
/// The insurance fixture (hospital org:founder-0 with licensed Dr Lee, a patient) plus a research sponsor (org:nova-trials) with a
/// researcher (member:dr-novak), and helpers to register a trial with the hospital as its site.
/// </summary>
public sealed class ResearchFixture : IDisposable
{
    public const string Sponsor = "org:nova-trials";
    public const string Researcher = "member:dr-novak";

    public ResearchFixture()
    {
        SupplyFixture.Ok(Run(Chain.OrgKeys[0], "identity.propose_organisation",
            $$"""{"organisation":"{{Sponsor}}","kind":"ResearchSponsor","governing":false,"publicKeys":["{{Spki(SponsorKey)}}"]}"""));
        SupplyFixture.Ok(Run(SponsorKey, "identity.enrol_member",
            $$"""{"member":"{{Researcher}}","roles":["trial_manager"],"publicKey":"{{Spki(ResearcherKey)}}"}"""));
    }

    public InsuranceFixture Insurance { get; } = new();

    public Testing.TestChain Chain => Insurance.Chain;

    public SigningKey Hospital => Chain.OrgKeys[0];

    public SigningKey SponsorKey { get; } = SigningKey.Generate();

    public SigningKey ResearcherKey { get; } = SigningKey.Generate();

    public static string Spki(SigningKey key) => Convert.ToBase64String(key.PublicKey.SubjectPublicKeyInfo);

    public TransactionResult Run(SigningKey key, string type, string args) => Insurance.Run(key, type, args);

    /// <summary>Registers <paramref name="trial"/> with the hospital as site and Dr Lee as investigator.</summary>
    public TransactionResult Register(string trial = "trial:glp1-2027", string investigator = InsuranceFixture.Doctor, int k = 5, SigningKey? by = null) =>
        Run(by ?? SponsorKey, "trial.register", $$"""
            {"trial":"{{trial}}","title":"Weekly GLP-1 agonist in adults with type 2 diabetes","protocolHash":"{{Testing.TestChain.RandomHash()}}",
             "sapHash":"{{Testing.TestChain.RandomHash()}}","primaryEndpoints":["HbA1c change from baseline at week 26"],
             "secondaryEndpoints":["Body weight change at week 26"],
             "eligibility":{"minAge":18,"maxAge":75,"conditions":["E11"],"excludedConditions":["E10"],"medications":[],"labs":[{"code":"4548-4","min":"7.0","max":"10.5"}]},
             "sites":[{"site":"{{InsuranceFixture.Hospital}}","investigator":"{{investigator}}"}],"k":{{k}}}
            """);

    public TransactionResult Amend(string trial, string primary, string reason = "Sample size re-estimated") =>
        Run(SponsorKey, "trial.amend", $$"""
            {"trial":"{{trial}}","protocolHash":"{{Testing.TestChain.RandomHash()}}","sapHash":"{{Testing.TestChain.RandomHash()}}",
             "primaryEndpoints":["{{primary}}"],"secondaryEndpoints":["Body weight change at week 26"],
             "eligibility":{"minAge":18,"maxAge":75,"conditions":["E11"]},"reason":"{{reason}}"}
            """);

    /// <summary>Opens <paramref name="count"/> invitations from the hospital; returns their ids.</summary>
    public IReadOnlyList<string> Invite(string trial, int count = 5)
    {
        var ids = Enumerable.Range(0, count).Select(_ => "inv:" + Testing.TestChain.RandomHash()[..32]).ToList();
        SupplyFixture.Ok(Run(Hospital, "trial.invite", $$"""{"trial":"{{trial}}","invitations":[{{string.Join(",", ids.Select(i => $"\"{i}\""))}}]}"""));
        return ids;
    }

    /// <summary>The hospital enrols the holder of <paramref name="subjectKey"/> (who signed the consent) through an invitation.</summary>
    public TransactionResult Enrol(string trial, string invitation, SigningKey subjectKey, string? consentHash = null, SigningKey? signer = null)
    {
        var hash = consentHash ?? Testing.TestChain.RandomHash();
        var signature = Convert.ToBase64String((signer ?? subjectKey).Sign(SubjectSignatures.Consent(trial, hash)).Span);
        return Run(Hospital, "trial.enrol",
            $$"""{"trial":"{{trial}}","invitation":"{{invitation}}","publicKey":"{{Spki(subjectKey)}}","consentHash":"{{hash}}","consentSignature":"{{signature}}"}""");
    }

    public TrialRecord Trial(string id) => StateJson.Read<TrialRecord>(Chain.Engine.State.Get(TrialKeys.Trial(id)))!;

    public void Dispose()
    {
        Insurance.Dispose();
        SponsorKey.Dispose();
        ResearcherKey.Dispose();
    }
}
