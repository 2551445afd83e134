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
        Assert.Equal(ConsentErrors.PurposeNotGranted, f.Decide(doctor, Lab, purpose: PurposeOfUse.Emergency).Reason);
        Assert.Equal(ConsentErrors.PurposeNotPermitted, f.Decide(doctor, Lab, purpose: PurposeOfUse.Research).Reason);
        Assert.Equal(ConsentErrors.ActionNotGranted, f.Decide(doctor, Lab, action: "append").Reason);
        Assert.Equal(ConsentErrors.Expired, f.Decide(doctor, Lab, time: expires).Reason);
        // The role is the hospital's: the insurer's clinician is not covered (nor may an insurer's staff claim treatment).
        Assert.Equal(ConsentErrors.PurposeNotPermitted, f.Decide(f.Members["member:adjuster"], Lab).Reason);
    }

    private static string GuardianshipArgs(ConsentFixture f, string delegateId, string mandate, string basis = "court-order", string registrar = "") =>
        $$"""{"patient":"{{f.PatientId}}","delegate":"{{delegateId}}","mandate":[{{mandate}}],"basis":"{{basis}}","orderHash":"{{TestChain.RandomHash()}}",{{registrar}}"expires":{{f.Chain.Now + 3_600_000}}}""";

    [Fact]
    public void An_organisation_that_does_not_care_for_the_patient_cannot_make_anyone_their_guardian()
    {
        using var f = new ConsentFixture();
        var adjuster = "member:adjuster";
        var full = "\"grant\",\"revoke\",\"read\",\"append\"";
        // The hole: an insurer's key (or its registrar) names an identity of its choosing with a full mandate.
        Assert.Equal(ConsentErrors.NotAuthorised, f.Submit(f.Chain.OrgKeys[1], "consent.record_guardianship", GuardianshipArgs(f, adjuster, full)).Code);
        Assert.Equal(ConsentErrors.NotAuthorised, f.Submit(f.Chain.OrgKeys[1], "consent.record_guardianship",
            GuardianshipArgs(f, adjuster, full, registrar: "\"registrar\":\"member:insurer-registrar\",")).Code);
        Assert.Equal(ConsentErrors.NotAuthorised, f.Submit(f.Members["member:insurer-registrar"], "consent.record_guardianship", GuardianshipArgs(f, adjuster, full)).Code);
        // Even the patient's own hospital needs a registrar, not any key or clinician.
        Assert.Equal(TransactionStatus.Committed, f.Submit(f.Chain.OrgKeys[0], "identity.attest_patient", $$"""{"patient":"{{f.PatientId}}"}""").Status);
        Assert.Equal(ConsentErrors.NotAuthorised, f.Submit(f.Chain.OrgKeys[0], "consent.record_guardianship", GuardianshipArgs(f, adjuster, full)).Code);
        Assert.Equal(ConsentErrors.NotAuthorised, f.Submit(f.Members["member:doctor"], "consent.record_guardianship", GuardianshipArgs(f, adjuster, full)).Code);
        Assert.Equal(ConsentErrors.BadGrant, f.Submit(f.Members["member:registrar"], "consent.record_guardianship",
            GuardianshipArgs(f, adjuster, full).Replace("\"orderHash\":\"", "\"orderHash\":\"zz", StringComparison.Ordinal)).Code);
        Assert.False(f.Decide(f.Members[adjuster], Lab).Permit);

        var recorded = f.Submit(f.Chain.OrgKeys[0], "consent.record_guardianship", GuardianshipArgs(f, "member:nurse", "\"read\"", registrar: "\"registrar\":\"member:registrar\","));
        Assert.Equal(TransactionStatus.Committed, recorded.Status);
        var e = Assert.Single(recorded.Events, e => e.Type == "consent.guardianship_recorded");
        Assert.Equal(("member:registrar", "org:founder-0", f.PatientId), (e.Attributes["by"], e.Attributes["organisation"], e.Attributes["patient"]));
        Assert.Equal("consent.delegate", f.Decide(f.Members["member:nurse"], Lab).Reason);
        // It is never silently replaced, by anyone.
        Assert.Equal(ConsentErrors.DelegationExists, f.Submit(f.Members["member:registrar"], "consent.record_guardianship",
            GuardianshipArgs(f, "member:nurse", full)).Code);
        Assert.Equal(ConsentErrors.NotAuthorised, f.Submit(f.Chain.OrgKeys[1], "consent.end_delegation", $$"""{"patient":"{{f.PatientId}}","delegate":"member:nurse"}""").Code);
        Assert.Equal(ConsentErrors.NotAuthorised, f.Submit(f.Patient, "consent.end_delegation", $$"""{"patient":"{{f.PatientId}}","delegate":"member:nurse"}""").Code);
    }

    [Fact]
    public void The_patient_contests_a_guardianship_which_stops_at_once_and_governance_resolves_it()
    {
        using var f = new ConsentFixture();
        Assert.Equal(TransactionStatus.Committed, f.Submit(f.Chain.OrgKeys[0], "identity.attest_patient", $$"""{"patient":"{{f.PatientId}}"}""").Status);
        Assert.Equal(TransactionStatus.Committed, f.Submit(f.Members["member:registrar"], "consent.record_guardianship", GuardianshipArgs(f, "member:nurse", "\"read\"")).Status);
        var contest = $$"""{"patient":"{{f.PatientId}}","delegate":"member:nurse","reasonHash":"{{TestChain.RandomHash()}}"}""";
        // An organisation with no care of the patient cannot contest either.
        Assert.Equal(ConsentErrors.NotAuthorised, f.Submit(f.Chain.OrgKeys[1], "consent.contest_guardianship", contest).Code);
        Assert.Equal(TransactionStatus.Committed, f.Submit(f.Patient, "consent.contest_guardianship", contest).Status);
        Assert.Equal(ConsentErrors.NotGranted, f.Decide(f.Members["member:nurse"], Lab).Reason);

        var resolve = $$"""{"patient":"{{f.PatientId}}","delegate":"member:nurse","upheld":true}""";
        Assert.Equal(ConsentErrors.NotAuthorised, f.Submit(f.Members["member:registrar"], "consent.resolve_guardianship", resolve).Code);
        // The hospital governs too, but it recorded the guardianship: it does not judge the contest against itself.
        Assert.Equal(ConsentErrors.NotAuthorised, f.Submit(f.Chain.OrgKeys[0], "consent.resolve_guardianship", resolve).Code);
        Assert.Equal(TransactionStatus.Committed, f.Submit(f.Chain.OrgKeys[1], "consent.resolve_guardianship", resolve).Status);
        Assert.Equal("consent.delegate", f.Decide(f.Members["member:nurse"], Lab).Reason);
        Assert.Equal(ConsentErrors.BadGrant, f.Submit(f.Chain.OrgKeys[1], "consent.resolve_guardianship", resolve).Code);
    }

    [Fact]
    public void A_purpose_is_bound_to_the_callers_role_not_to_what_the_caller_claims()
    {
        using var f = new ConsentFixture();
        // The patient lets the hospital use their records for research.
        f.Submit(f.Patient, "consent.grant", GrantArgs(f.PatientId, """{"kind":"organisation","id":"org:founder-0"}""", f.Chain.Now + 3_600_000,
            purposes: "\"HRESCH\""));
        var nurse = f.Members["member:nurse"];
        Assert.Equal(ConsentErrors.PurposeNotGranted, f.Decide(nurse, Lab).Reason);
        // The hole: the nurse said "research" and was let in. Research is for the hospital's researchers.
        Assert.Equal(ConsentErrors.PurposeNotPermitted, f.Decide(nurse, Lab, purpose: PurposeOfUse.Research).Reason);
        Assert.True(f.Decide(f.Members["member:researcher"], Lab, purpose: PurposeOfUse.Research).Permit);
        Assert.Equal(ConsentErrors.PurposeNotPermitted, f.Decide(f.Members["member:researcher"], Lab).Reason);
        // Payment is for an insurer's claims staff; a clinician employed by an insurer does not treat.
        Assert.Equal(ConsentErrors.PurposeNotPermitted, f.Decide(f.Members["member:doctor"], Lab, purpose: PurposeOfUse.Payment).Reason);
        Assert.Equal(ConsentErrors.NotGranted, f.Decide(f.Members["member:claims"], Lab, purpose: PurposeOfUse.Payment).Reason);
        Assert.Equal(ConsentErrors.PurposeNotPermitted, f.Decide(f.Members["member:adjuster"], Lab).Reason);
    }

    [Fact]
    public void A_deny_names_the_revoked_or_expired_grant_for_this_request_rather_than_another_grant_for_another_purpose()
    {
        using var f = new ConsentFixture();
        var doctor = f.Members["member:doctor"];
        var own = f.Submit(f.Patient, "consent.grant", GrantArgs(f.PatientId, """{"kind":"member","id":"member:doctor"}""", f.Chain.Now + 3_600_000));
        var expiring = f.Submit(f.Patient, "consent.grant", GrantArgs(f.PatientId, """{"kind":"member","id":"member:nurse"}""", f.Chain.Now + 5_000));
        f.Submit(f.Patient, "consent.grant", GrantArgs(f.PatientId, """{"kind":"organisation","id":"org:founder-0"}""", f.Chain.Now + 3_600_000,
            purposes: "\"HOPERAT\""));
        Assert.Equal(TransactionStatus.Committed, expiring.Status);
        f.Submit(f.Patient, "consent.revoke", $$"""{"grant":"{{own.TransactionId}}"}""");
        Assert.Equal(ConsentErrors.Revoked, f.Decide(doctor, Lab).Reason);
        Assert.Equal(ConsentErrors.Expired, f.Decide(f.Members["member:nurse"], Lab, time: f.Chain.Now + 10_000).Reason);
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

        Assert.Equal(TransactionStatus.Committed, f.Submit(f.Chain.OrgKeys[0], "identity.attest_patient", $$"""{"patient":"{{f.PatientId}}"}""").Status);
        var guardianship = f.Submit(f.Members["member:registrar"], "consent.record_guardianship", GuardianshipArgs(f, parentId, "\"grant\"", "parental"));
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
    public void An_unjustified_break_glass_ends_at_once_flags_the_clinician_and_a_pending_one_cannot_be_reopened()
    {
        using var f = new ConsentFixture();
        var er = f.Members["member:er-doctor"];
        var args = $$"""{"patient":"{{f.PatientId}}","reasonCode":"other","reasonHash":"{{TestChain.RandomHash()}}","hours":24}""";
        var opened = f.Submit(er, "consent.break_glass", args);
        Assert.Equal(TransactionStatus.Committed, opened.Status);
        // The hole: the same clinician reopened at once, before anyone looked at the first.
        Assert.Equal(ConsentErrors.ReviewPending, f.Submit(er, "consent.break_glass", args).Code);

        var review = f.Submit(f.Members["member:officer"], "consent.review_emergency", $$"""{"emergency":"{{opened.TransactionId}}","justified":false}""");
        Assert.Contains(review.Events, e => e.Type == "consent.clinician_flagged" && e.Attributes["clinician"] == "member:er-doctor" && e.Attributes["unjustified"] == "1");
        // The hole: an unjustified access went on until it expired.
        Assert.False(f.Decide(er, Lab, purpose: PurposeOfUse.Emergency).Permit);
        var flag = CareLedger.Contracts.StateJson.Read<ClinicianFlag>(f.Chain.Engine.State.Get(ConsentKeys.Flag("member:er-doctor")))!;
        Assert.Equal([opened.TransactionId.ToString()], flag.Emergencies);
        // Reviewed, it may be reopened (and is reviewed again).
        var reopened = f.Submit(er, "consent.break_glass", args);
        Assert.Equal(TransactionStatus.Committed, reopened.Status);
        Assert.Equal(reopened.TransactionId.ToString(), f.Decide(er, Lab, purpose: PurposeOfUse.Emergency).EmergencyId);
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
