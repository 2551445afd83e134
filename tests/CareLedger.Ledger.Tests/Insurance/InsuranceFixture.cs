using CareLedger.Contracts;
using CareLedger.Contracts.Identity;
using CareLedger.Contracts.Insurance;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Ledger.Tests.SupplyChain;

namespace CareLedger.Ledger.Tests.Insurance;

/// <summary>
/// The supply chain fixture plus an insurer (org:acme-health) with a funded settlement account and a plan, a licensed
/// doctor at the hospital (org:founder-0, in network) and a patient enrolled under policy:p1 since 200 days ago.
/// </summary>
public sealed class InsuranceFixture : IDisposable
{
    public const string Doctor = "member:dr-lee";
    public const string Hospital = "org:founder-0";
    public const string Insurer = "org:acme-health";
    public const long Day = 86_400_000;

    public InsuranceFixture(string? plan = null, long funding = 10_000_000)
    {
        Supply = new SupplyFixture();
        InsurerKey = SigningKey.Generate();
        SupplyFixture.Ok(Run(Chain.OrgKeys[0], "identity.propose_organisation",
            $$"""{"organisation":"{{Insurer}}","kind":"Insurer","governing":false,"publicKeys":["{{Convert.ToBase64String(InsurerKey.PublicKey.SubjectPublicKeyInfo)}}"]}"""));
        SupplyFixture.Ok(Run(Chain.OrgKeys[0], "identity.enrol_member",
            $$"""{"member":"{{Doctor}}","roles":["practitioner"],"publicKey":"{{Convert.ToBase64String(DoctorKey.PublicKey.SubjectPublicKeyInfo)}}"}"""));
        DoctorLicence = Supply.License(Doctor, "physician");
        SupplyFixture.Ok(Run(PatientKey, "identity.register_patient", $$"""{"publicKey":"{{Convert.ToBase64String(PatientKey.PublicKey.SubjectPublicKeyInfo)}}"}"""));
        SupplyFixture.Ok(Run(InsurerKey, "ins.publish_plan", plan ?? PlanJson()));
        SupplyFixture.Ok(Run(InsurerKey, "ins.enrol",
            $$"""{"policy":"policy:p1","plan":"plan:gold","patient":"{{Patient}}","memberId":"AH-000123","start":{{Chain.Now - (200 * Day)}},"end":{{Chain.Now + (365 * Day)}}}"""));
        if (funding > 0)
        {
            SupplyFixture.Ok(Run(InsurerKey, "ins.fund", $$"""{"amount":{{funding}},"currency":"USD"}"""));
        }
        // The hospital is treating the patient: with the patient's consent, Dr Lee records today's visit.
        SupplyFixture.Ok(Run(PatientKey, "consent.grant",
            $$"""{"patient":"{{Patient}}","grantee":{"kind":"organisation","id":"{{Hospital}}"},"actions":["append"],"purposes":["TREAT"],"expires":{{Chain.Now + (400 * Day)}}}"""));
        SupplyFixture.Ok(Run(DoctorKey, "records.register",
            $$"""{"patient":"{{Patient}}","category":"encounter","resourceType":"Encounter","saltedHash":"{{Testing.TestChain.RandomHash()}}"}"""));
    }

    public SupplyFixture Supply { get; }

    public Testing.TestChain Chain => Supply.Chain;

    public SigningKey InsurerKey { get; }

    public SigningKey DoctorKey { get; } = SigningKey.Generate();

    public SigningKey PatientKey { get; } = SigningKey.Generate();

    public string Patient => IdentityKeys.PatientIdFor(PatientKey.Id);

    public string DoctorLicence { get; }

    /// <summary>
    /// The gold plan: deductible 500.00, out-of-pocket maximum 3,000.00; office visit 99213 (150.00, copay 25.00, 80.00 out of
    /// network), lab panel 80053 (40.00, 80% after deductible, in network only), MRI 70553 (1,200.00, 80% after deductible,
    /// prior authorisation), the supply fixture's GTIN (12.00 a package, copay 5.00), J3490 excluded; lines above 1,000.00 pended.
    /// </summary>
    public static string PlanJson(long effectiveFrom = 0, long officeCopay = 2500, long annualLimit = 0, long pendAbove = 100_000, long deductible = 50_000,
        long outOfPocketMax = 300_000) => $$"""
        {"plan":"plan:gold","name":"Gold PPO","currency":"USD","effectiveFrom":{{effectiveFrom}},"deductible":{{deductible}},"outOfPocketMax":{{outOfPocketMax}},
         "annualLimit":{{annualLimit}},"waitingPeriodDays":0,"pendAbove":{{pendAbove}},"network":["{{Hospital}}","org:city-pharmacy"],
         "benefits":[
           {"code":"99213","allowed":15000,"outOfNetworkAllowed":8000,"copay":{{officeCopay}}},
           {"code":"80053","allowed":4000,"payerPercent":80,"deductibleApplies":true,"unitsPerYear":4},
           {"code":"70553","allowed":120000,"payerPercent":80,"deductibleApplies":true,"priorAuth":true},
           {"code":"{{SupplyFixture.Gtin}}","allowed":1200,"copay":500}],
         "exclusions":["J3490"]}
        """;

    public TransactionResult Run(SigningKey key, string type, string args) => Supply.Run(key, type, args);

    /// <summary>A claim from the hospital (or <paramref name="by"/>) for Dr Lee, lines as (code, quantity, billed, days before today).</summary>
    public TransactionResult Claim(string id, SigningKey? by = null, params (string Code, int Quantity, long Billed, int DaysAgo)[] lines) =>
        Run(by ?? Chain.OrgKeys[0], "ins.submit_claim",
            $$"""{"claim":"{{id}}","policy":"policy:p1","practitioner":"{{Doctor}}","lines":[{{string.Join(",", lines.Select(l =>
                $$"""{"code":"{{l.Code}}","quantity":{{l.Quantity}},"billed":{{l.Billed}},"serviceDate":{{Chain.Now - (l.DaysAgo * Day)}}}"""))}}]}""");

    public ClaimRecord ClaimRecord(string id) => StateJson.Read<ClaimRecord>(Chain.Engine.State.Get(InsuranceKeys.Claim(id)))!;

    public long Balance(string owner) => SettlementLedger.Balance(Chain.Engine.State, owner, "USD");

    public IReadOnlyList<JournalEntry> Journal() =>
        Chain.Store.ScanState("ins/journal/0", 100_000).Select(r => StateJson.Read<JournalEntry>(r.Value)!).ToList();

    public IReadOnlyList<AccountRecord> Accounts() =>
        Chain.Store.ScanState("ins/account/", 100_000).Select(r => StateJson.Read<AccountRecord>(r.Value)!).ToList();

    public void Dispose()
    {
        Supply.Dispose();
        InsurerKey.Dispose();
        DoctorKey.Dispose();
        PatientKey.Dispose();
    }
}
