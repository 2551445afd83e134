using CareLedger.Contracts.Consent;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Testing;

namespace CareLedger.Ledger.Tests.Contracts;

public class ConsentContractTests
{
    private static readonly RecordRef Lab = new("record:lab-1", "laboratory", "Observation");
    private static readonly RecordRef Note = new("record:note-1", "clinical-note", "DocumentReference");

    private static string GrantArgs(string patient, string grantee, long expires, string scope = "", string purposes = "\"TREAT\"") =>
        $$"""{"patient":"{{patient}}","grantee":{{grantee}},{{scope}}"actions":["read"],"purposes":[{{purposes}}],"expires":{{expires}}}""";

    [Fact]
    public void A_patient_grants_a_doctor_read_access_and_revocation_denies_from_the_next_block()
    {
        using var f = new ConsentFixture();
        var doctor = f.Members["member:doctor"];
        Assert.Equal(ConsentErrors.NotGranted, f.Decide(doctor, Lab).Reason);

        var grant = f.Submit(f.Patient, "consent.grant", GrantArgs(f.PatientId, """{"kind":"member","id":"member:doctor"}""", f.Chain.Now + 3_600_000));
        Assert.Equal(TransactionStatus.Committed, grant.Status);
        var decision = f.Decide(doctor, Lab);
        Assert.True(decision.Permit);
        Assert.Equal(grant.TransactionId.ToString(), decision.GrantId);
        Assert.False(f.Decide(f.Members["member:nurse"], Lab).Permit);

        var revoke = f.Submit(f.Patient, "consent.revoke", $$"""{"grant":"{{grant.TransactionId}}"}""");
        Assert.Equal(TransactionStatus.Committed, revoke.Status);
        Assert.Equal(ConsentErrors.Revoked, f.Decide(doctor, Lab).Reason);
    }

    [Fact]
    public void Expired_out_of_scope_and_wrong_purpose_requests_are_denied_with_their_reason()
    {
        using var f = new ConsentFixture();
        var doctor = f.Members["member:doctor"];
        var expires = f.Chain.Now + 10_000;
        f.Submit(f.Patient, "consent.grant", GrantArgs(f.PatientId, """{"kind":"role","id":"clinician","organisation":"org:founder-0"}""",
            expires, "\"categories\":[\"laboratory\"],"));
        Assert.True(f.Decide(doctor, Lab).Permit);
        Assert.Equal(ConsentErrors.OutOfScope, f.Decide(doctor, Note).Reason);
        Assert.Equal(ConsentErrors.PurposeNotGranted, f.Decide(doctor, Lab, purpose: PurposeOfUse.Research).Reason);
        Assert.Equal(ConsentErrors.ActionNotGranted, f.Decide(doctor, Lab, action: "append").Reason);
        Assert.Equal(ConsentErrors.Expired, f.Decide(doctor, Lab, time: expires).Reason);
        // The role is the hospital's: the insurer's clinician is not covered.
        Assert.Equal(ConsentErrors.NotGranted, f.Decide(f.Members["member:adjuster"], Lab).Reason);
    }

    [Fact]
    public void Only_the_patient_or_a_delegate_with_the_mandate_may_grant()
    {
        using var f = new ConsentFixture();
        using var parent = SigningKey.Generate();
        f.Submit(parent, "identity.register_patient", $$"""{"publicKey":"{{ConsentFixture.Spki(parent)}}"}""");
        var parentId = CareLedger.Contracts.Identity.IdentityKeys.PatientIdFor(parent.Id);
        var args = GrantArgs(f.PatientId, """{"kind":"member","id":"member:doctor"}""", f.Chain.Now + 3_600_000);

        Assert.Equal(ConsentErrors.NotAuthorised, f.Submit(f.Members["member:doctor"], "consent.grant", args).Code);
        Assert.Equal(ConsentErrors.NotAuthorised, f.Submit(parent, "consent.grant", args).Code);

        var guardianship = f.Submit(f.Chain.OrgKeys[0], "consent.record_guardianship",
            $$"""{"patient":"{{f.PatientId}}","delegate":"{{parentId}}","mandate":["grant"],"basis":"parental","expires":{{f.Chain.Now + 3_600_000}}}""");
        Assert.Equal(TransactionStatus.Committed, guardianship.Status);
        var granted = f.Submit(parent, "consent.grant", args);
        Assert.Equal(TransactionStatus.Committed, granted.Status);
        Assert.Equal(parentId, granted.Events[0].Attributes["by"]);
        // The mandate says grant, not revoke.
        Assert.Equal(ConsentErrors.NotAuthorised, f.Submit(parent, "consent.revoke", $$"""{"grant":"{{granted.TransactionId}}"}""").Code);
        // Nor may the delegate read.
        var parentCaller = Caller.Resolve(f.Chain.Engine.State, parent.Id)!;
        Assert.False(AccessDecisionPoint.Decide(f.Chain.Engine.State, new AccessRequest(parentCaller, f.PatientId, Lab, "read", PurposeOfUse.Treatment, f.Chain.Now)).Permit);
    }

    [Fact]
    public void Break_glass_opens_bounded_access_for_emergency_purpose_and_waits_for_review()
    {
        using var f = new ConsentFixture();
        var er = f.Members["member:er-doctor"];
        var args = $$"""{"patient":"{{f.PatientId}}","reasonCode":"unconscious","reasonHash":"{{TestChain.RandomHash()}}","hours":2}""";
        Assert.Equal(ConsentErrors.NotAuthorised, f.Submit(f.Members["member:doctor"], "consent.break_glass", args).Code);
        Assert.Equal(ConsentErrors.BadGrant, f.Submit(er, "consent.break_glass", args.Replace("\"hours\":2", "\"hours\":25", StringComparison.Ordinal)).Code);

        var opened = f.Submit(er, "consent.break_glass", args);
        Assert.Equal(TransactionStatus.Committed, opened.Status);
        Assert.Contains(opened.Events, e => e.Type == "consent.emergency_opened" && e.Attributes["patient"] == f.PatientId);
        var decision = f.Decide(er, Lab, purpose: PurposeOfUse.Emergency);
        Assert.Equal(opened.TransactionId.ToString(), decision.EmergencyId);
        Assert.False(f.Decide(er, Lab).Permit);
        Assert.False(f.Decide(er, Lab, purpose: PurposeOfUse.Emergency, time: f.Chain.Now + 2 * 3_600_000).Permit);

        var queue = CareLedger.Contracts.StateJson.Read<List<string>>(f.Chain.Engine.State.Get(ConsentKeys.ReviewQueue("org:founder-0")))!;
        Assert.Equal([opened.TransactionId.ToString()], queue);
        var review = $$"""{"emergency":"{{opened.TransactionId}}","justified":true}""";
        Assert.Equal(ConsentErrors.NotAuthorised, f.Submit(er, "consent.review_emergency", review).Code);
        Assert.Equal(TransactionStatus.Committed, f.Submit(f.Members["member:officer"], "consent.review_emergency", review).Status);
        Assert.Equal(ConsentErrors.AlreadyReviewed, f.Submit(f.Members["member:officer"], "consent.review_emergency", review).Code);
        Assert.Empty(CareLedger.Contracts.StateJson.Read<List<string>>(f.Chain.Engine.State.Get(ConsentKeys.ReviewQueue("org:founder-0")))!);
    }

    [Fact]
    public void Malformed_grants_are_refused()
    {
        using var f = new ConsentFixture();
        var member = """{"kind":"member","id":"member:doctor"}""";
        Assert.Equal(ConsentErrors.BadGrant, f.Submit(f.Patient, "consent.grant", GrantArgs(f.PatientId, member, f.Chain.Now - 1)).Code);
        Assert.Equal(ConsentErrors.BadGrant, f.Submit(f.Patient, "consent.grant", GrantArgs(f.PatientId, member, f.Chain.Now + 99_999, purposes: "\"MARKETING\"")).Code);
        Assert.Equal(ConsentErrors.BadGrant, f.Submit(f.Patient, "consent.grant", GrantArgs(f.PatientId, """{"kind":"member","id":"member:nobody"}""", f.Chain.Now + 99_999)).Code);
        Assert.Equal(ConsentErrors.UnknownPatient, f.Submit(f.Patient, "consent.grant", GrantArgs("patient:nobody", member, f.Chain.Now + 99_999)).Code);
        Assert.Equal(LedgerErrorCodes.BadArguments, f.Submit(f.Patient, "consent.grant", $$"""{"patient":"{{f.PatientId}}"}""").Code);
    }
}
