using CareLedger.Contracts;
using CareLedger.Contracts.Credentials;
using CareLedger.Contracts.Identity;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Ledger.Tests.SupplyChain;

namespace CareLedger.Ledger.Tests.Contracts;

public sealed class CredentialsContractTests : IDisposable
{
    private const string Doctor = "member:dr-lee";
    private readonly SupplyFixture _f = new();
    private readonly SigningKey _doctor = SigningKey.Generate();
    private readonly SigningKey _patient = SigningKey.Generate();
    private readonly SigningKey _university = SigningKey.Generate();
    private readonly string _patientId;

    public CredentialsContractTests()
    {
        _patientId = IdentityKeys.PatientIdFor(_patient.Id);
        SupplyFixture.Ok(_f.Run(_f.Chain.OrgKeys[0], "identity.enrol_member",
            $$"""{"member":"{{Doctor}}","roles":["practitioner"],"publicKey":"{{Convert.ToBase64String(_doctor.PublicKey.SubjectPublicKeyInfo)}}"}"""));
        SupplyFixture.Ok(_f.Run(_f.Chain.OrgKeys[0], "identity.propose_organisation",
            $$"""{"organisation":"org:state-university","kind":"University","governing":false,"publicKeys":["{{Convert.ToBase64String(_university.PublicKey.SubjectPublicKeyInfo)}}"]}"""));
        SupplyFixture.Ok(_f.Run(_patient, "identity.register_patient", $$"""{"publicKey":"{{Convert.ToBase64String(_patient.PublicKey.SubjectPublicKeyInfo)}}"}"""));
        SupplyFixture.Ok(_f.Run(_patient, "consent.grant",
            $$"""{"patient":"{{_patientId}}","grantee":{"kind":"member","id":"{{Doctor}}"},"actions":["append","read"],"purposes":["TREAT"],"expires":{{_f.Chain.Now + 900L * 86_400_000}}}"""));
        _f.Commission("L1", "S1", "S2", "S3");
        _f.Stock("S1", "S2", "S3");
    }

    public void Dispose()
    {
        _f.Dispose();
        _doctor.Dispose();
        _patient.Dispose();
        _university.Dispose();
    }

    private static string IssueArgs(string id, string kind = "licence", string profession = "physician", long from = 0, long until = long.MaxValue / 2) =>
        $$"""{"credential":"{{id}}","subject":"{{Doctor}}","kind":"{{kind}}","profession":"{{profession}}","specialty":"cardiology","jurisdiction":"US-MA","number":"MA-12345","validFrom":{{from}},"validUntil":{{until}}}""";

    private TransactionResult Prescribe(string id) => _f.Run(_doctor, "rx.prescribe",
        $$"""{"prescription":"{{id}}","patient":"{{_patientId}}","gtin":"{{SupplyFixture.Gtin}}","packagesPerFill":1,"refills":0,"expires":{{_f.Chain.Now + 30L * 86_400_000}}}""");

    private CredentialRecord Credential(string id) => StateJson.Read<CredentialRecord>(_f.Chain.Engine.State.Get(CredentialKeys.Credential(id)))!;

    private TransactionResult Change(string action, string id, string extra = "\"reason\":\"board decision 2027-14\"") =>
        _f.Run(_f.Board, "cred." + action, $$"""{"credential":"{{id}}",{{extra}}}""");

    [Fact]
    public void Only_the_right_kind_of_organisation_issues_each_kind_of_credential()
    {
        SupplyFixture.Ok(_f.Run(_f.Board, "cred.issue", IssueArgs("cred:lic-1")));
        Assert.Equal(CredentialErrors.Exists, _f.Run(_f.Board, "cred.issue", IssueArgs("cred:lic-1")).Code);
        Assert.Equal(CredentialErrors.NotAuthorised, _f.Run(_university, "cred.issue", IssueArgs("cred:lic-2")).Code);
        Assert.Equal(CredentialErrors.NotAuthorised, _f.Run(_f.Pharmacy, "cred.issue", IssueArgs("cred:lic-3")).Code);
        Assert.Equal(CredentialErrors.NotAuthorised, _f.Run(_doctor, "cred.issue", IssueArgs("cred:lic-4")).Code);
        Assert.Equal(CredentialErrors.NotAuthorised, _f.Run(_patient, "cred.issue", IssueArgs("cred:lic-5")).Code);
        SupplyFixture.Ok(_f.Run(_university, "cred.issue", IssueArgs("cred:md-1", kind: "degree", profession: "physician")));
        Assert.Equal(CredentialErrors.BadCredential, _f.Run(_f.Board, "cred.issue", IssueArgs("cred:lic-6", from: 10, until: 5)).Code);
        Assert.Equal(CredentialErrors.BadCredential, _f.Run(_f.Board, "cred.issue", IssueArgs("cred:lic-7", kind: "fellowship")).Code);
        Assert.Equal(CredentialErrors.BadCredential, _f.Run(_f.Board, "cred.issue", IssueArgs("not-an-id")).Code);
        Assert.Equal(CredentialErrors.NotAuthorised, Change("suspend", "cred:md-1").Code);
        Assert.Equal(["cred:lic-1", "cred:md-1"], Licensing.Of(_f.Chain.Engine.State, Doctor).Select(c => c.Id));
    }

    [Fact]
    public void Standing_on_any_date_replays_suspensions_renewals_and_revocation()
    {
        var issued = _f.Chain.Now + 1000; // the next block's time
        SupplyFixture.Ok(_f.Run(_f.Board, "cred.issue", IssueArgs("cred:lic-1", until: issued + 100_000)));
        Assert.Equal(CredentialErrors.BadCredential, Change("suspend", "cred:lic-1", "\"reason\":\"\"").Code);
        SupplyFixture.Ok(Change("suspend", "cred:lic-1"));
        Assert.Equal(CredentialErrors.BadTransition, Change("suspend", "cred:lic-1").Code);
        _f.Chain.Advance(TimeSpan.FromSeconds(4));
        SupplyFixture.Ok(Change("reinstate", "cred:lic-1"));
        SupplyFixture.Ok(Change("renew", "cred:lic-1", $"\"validUntil\":{issued + 500_000}"));
        Assert.Equal(CredentialErrors.BadCredential, Change("renew", "cred:lic-1", $"\"validUntil\":{issued + 10}").Code);
        var history = Credential("cred:lic-1").History;
        Assert.Equal(issued, history[0].Time);
        var (suspended, reinstated) = (history[1].Time, history[2].Time);

        var state = _f.Chain.Engine.State;
        bool Licensed(long at, string? jurisdiction = "US-MA", string what = "cardiology") => Licensing.IsLicensedFor(state, Doctor, what, jurisdiction, at).Licensed;
        Assert.True(Licensed(issued + 500));
        Assert.False(Licensed(issued + 500, "US-NY"));
        Assert.False(Licensed(issued + 500, what: "pharmacist"));
        Assert.True(Licensed(issued + 500, what: "physician"));
        Assert.False(Licensed(suspended + 500));
        Assert.Equal("suspended", Licensing.IsLicensedFor(state, Doctor, "physician", null, suspended + 500).Standing);
        Assert.True(Licensed(reinstated + 500));
        Assert.True(Licensed(issued + 200_000));
        Assert.Equal("expired", Licensing.IsLicensedFor(state, Doctor, "physician", null, issued + 600_000).Standing);
        Assert.True(Licensed(issued - 5_000), "valid from the issuer's validFrom, before it was recorded");

        SupplyFixture.Ok(Change("revoke", "cred:lic-1"));
        var revoked = _f.Chain.Now;
        Assert.Equal(CredentialErrors.BadTransition, Change("reinstate", "cred:lic-1").Code);
        Assert.Equal(CredentialErrors.BadTransition, Change("renew", "cred:lic-1", $"\"validUntil\":{issued + 900_000}").Code);
        Assert.True(Licensed(reinstated + 500));
        Assert.False(Licensed(revoked + 10));
        Assert.Equal(["issued", "suspended", "reinstated", "renewed", "revoked"], Credential("cred:lic-1").History.Select(h => h.Action));
    }

    [Fact]
    public void Prescribing_needs_an_active_prescriber_licence_from_the_next_block_on()
    {
        Assert.Equal(CredentialErrors.NotLicensed, Prescribe("rx:1").Code);
        SupplyFixture.Ok(_f.Run(_f.Board, "cred.issue", IssueArgs("cred:nurse", profession: "nurse")));
        Assert.Equal(CredentialErrors.NotLicensed, Prescribe("rx:1").Code);
        SupplyFixture.Ok(_f.Run(_f.Board, "cred.issue", IssueArgs("cred:lic-1", until: _f.Chain.Now + 60_000)));
        SupplyFixture.Ok(Prescribe("rx:1"));

        SupplyFixture.Ok(Change("suspend", "cred:lic-1"));
        var refused = Prescribe("rx:2");
        Assert.Equal(CredentialErrors.NotLicensed, refused.Code);
        Assert.Contains("suspended", refused.Message, StringComparison.Ordinal);
        SupplyFixture.Ok(Change("reinstate", "cred:lic-1"));
        SupplyFixture.Ok(Prescribe("rx:2"));

        _f.Chain.Advance(TimeSpan.FromMinutes(2));
        Assert.Contains("expired", Prescribe("rx:3").Message, StringComparison.Ordinal);
        SupplyFixture.Ok(Change("renew", "cred:lic-1", $"\"validUntil\":{_f.Chain.Now + 86_400_000}"));
        SupplyFixture.Ok(Prescribe("rx:3"));

        // In one block: the revocation is ordered first, so the prescription after it is refused.
        var block = _f.Chain.Commit(
            _f.Chain.Sign(_f.Board, "cred.revoke", """{"credential":"cred:lic-1","reason":"struck off"}"""),
            _f.Chain.Sign(_doctor, "rx.prescribe",
                $$"""{"prescription":"rx:4","patient":"{{_patientId}}","gtin":"{{SupplyFixture.Gtin}}","packagesPerFill":1,"refills":0,"expires":{{_f.Chain.Now + 86_400_000}}}"""));
        Assert.Equal([TransactionStatus.Committed, TransactionStatus.Rejected], block.Results.Select(r => r.Status));
        Assert.Equal(CredentialErrors.NotLicensed, Prescribe("rx:5").Code);
    }

    [Fact]
    public void Dispensing_needs_an_active_pharmacist_licence()
    {
        SupplyFixture.Ok(_f.Run(_f.Board, "cred.issue", IssueArgs("cred:lic-1")));
        SupplyFixture.Ok(Prescribe("rx:1"));
        string Fill(string? pharmacist) => _f.Run(_f.Pharmacy, "rx.dispense",
            $$"""{"prescription":"rx:1",{{(pharmacist is null ? "" : $"\"pharmacist\":\"{pharmacist}\",")}}"units":["{{SupplyFixture.Gtin}}/S1"]}""").Code!;

        Assert.Equal("rx.not_authorised", Fill(null));
        Assert.Equal("rx.not_authorised", Fill(Doctor));
        var licence = Licensing.Of(_f.Chain.Engine.State, SupplyFixture.PharmacistId).Single().Id;
        SupplyFixture.Ok(_f.Run(_f.Board, "cred.suspend", $$"""{"credential":"{{licence}}","reason":"inspection"}"""));
        Assert.Equal(CredentialErrors.NotLicensed, Fill(SupplyFixture.PharmacistId));
        Assert.Equal(CredentialErrors.NotLicensed, _f.Run(_f.PharmacistKey, "rx.dispense", $$"""{"prescription":"rx:1","units":["{{SupplyFixture.Gtin}}/S1"]}""").Code);
        Assert.Equal("owned", _f.Unit("S1").Status);
        SupplyFixture.Ok(_f.Run(_f.Board, "cred.reinstate", $$"""{"credential":"{{licence}}"}"""));
        SupplyFixture.Ok(_f.Run(_f.PharmacistKey, "rx.dispense", $$"""{"prescription":"rx:1","units":["{{SupplyFixture.Gtin}}/S1"]}"""));
    }

    [Fact]
    public void Providers_attest_employment_periods_without_overlaps()
    {
        var hospital = _f.Chain.OrgKeys[0];
        var start = _f.Chain.Now - 3L * 365 * 86_400_000;
        SupplyFixture.Ok(_f.Run(hospital, "cred.attest_employment", $$"""{"member":"{{Doctor}}","role":"cardiologist","from":{{start}}}"""));
        Assert.Equal(CredentialErrors.BadEmployment, _f.Run(hospital, "cred.attest_employment", $$"""{"member":"{{Doctor}}","role":"cardiologist","from":{{start + 1000}}}""").Code);
        Assert.Equal(CredentialErrors.BadEmployment, _f.Run(hospital, "cred.attest_employment", $$"""{"member":"{{Doctor}}","role":"cardiologist","from":{{_f.Chain.Now + 86_400_000}}}""").Code);
        Assert.Equal(CredentialErrors.NotAuthorised, _f.Run(_f.Board, "cred.attest_employment", $$"""{"member":"{{Doctor}}","role":"locum","from":{{start}}}""").Code);
        Assert.Equal(CredentialErrors.NotAuthorised, _f.Run(_doctor, "cred.attest_employment", $$"""{"member":"{{Doctor}}","role":"chief","from":{{start}}}""").Code);
        SupplyFixture.Ok(_f.Run(_f.Pharmacy, "cred.attest_employment", $$"""{"member":"{{Doctor}}","role":"locum","from":{{start}},"until":{{start + 86_400_000}}}"""));
        SupplyFixture.Ok(_f.Run(hospital, "cred.end_employment", $$"""{"member":"{{Doctor}}","until":{{_f.Chain.Now}}}"""));
        Assert.Equal(CredentialErrors.BadEmployment, _f.Run(hospital, "cred.end_employment", $$"""{"member":"{{Doctor}}","until":{{_f.Chain.Now}}}""").Code);
        var periods = CredentialsContract.Employment(_f.Chain.Engine.State, Doctor);
        Assert.Equal([("org:founder-0", "cardiologist"), ("org:city-pharmacy", "locum")], periods.Select(p => (p.Organisation, p.Role)));
        Assert.All(periods, p => Assert.NotNull(p.Until));
    }
}
