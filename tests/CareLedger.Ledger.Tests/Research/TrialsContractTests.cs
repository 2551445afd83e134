using System.Text;
using CareLedger.Contracts;
using CareLedger.Contracts.Trials;
using CareLedger.Core.Crypto;
using CareLedger.Ledger.Tests.Insurance;
using CareLedger.Ledger.Tests.SupplyChain;

namespace CareLedger.Ledger.Tests.Research;

public sealed class TrialsContractTests : IDisposable
{
    private const string Trial = "trial:glp1-2027";
    private readonly ResearchFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void A_sponsor_registers_a_trial_with_licensed_investigators_at_provider_sites()
    {
        SupplyFixture.Ok(_f.Register());

        var trial = _f.Trial(Trial);
        Assert.Equal(ResearchFixture.Sponsor, trial.Sponsor);
        Assert.Equal("recruiting", trial.Status);
        Assert.Single(trial.Versions);
        Assert.Equal(["E11"], trial.Current.Eligibility.Conditions);
        Assert.Equal("7.0", trial.Current.Eligibility.Labs[0].Min);
        Assert.Equal(TrialErrors.Exists, _f.Register().Code);
    }

    [Fact]
    public void Registration_is_refused_to_non_sponsors_unlicensed_investigators_and_a_k_below_five()
    {
        Assert.Equal(TrialErrors.NotAuthorised, _f.Register(by: _f.Hospital).Code);
        Assert.Equal(TrialErrors.NotAuthorised, _f.Register(by: _f.Insurance.DoctorKey).Code);
        using var nurse = SigningKey.Generate();
        SupplyFixture.Ok(_f.Run(_f.Hospital, "identity.enrol_member",
            $$"""{"member":"member:nurse-ray","roles":["practitioner"],"publicKey":"{{ResearchFixture.Spki(nurse)}}"}"""));
        Assert.Equal(TrialErrors.InvestigatorNotLicensed, _f.Register(investigator: "member:nurse-ray").Code);
        Assert.Equal(TrialErrors.BadSite, _f.Register(investigator: ResearchFixture.Researcher).Code);
        Assert.Equal(TrialErrors.BadTrial, _f.Register(k: 3).Code);
        Assert.Null(_f.Chain.Engine.State.Get(TrialKeys.Trial(Trial)));
    }

    [Fact]
    public void A_researcher_with_the_trial_manager_role_registers_for_the_sponsor()
    {
        SupplyFixture.Ok(_f.Register(by: _f.ResearcherKey));
        Assert.Equal(ResearchFixture.Sponsor, _f.Trial(Trial).Sponsor);
    }

    [Fact]
    public void Changing_endpoints_after_the_first_enrolment_shows_as_outcome_switching()
    {
        SupplyFixture.Ok(_f.Register());
        var before = _f.Amend(Trial, "HbA1c change from baseline at week 52");
        SupplyFixture.Ok(before);
        Assert.DoesNotContain(before.Events, e => e.Type == "trial.outcome_switched");
        Assert.False(_f.Trial(Trial).OutcomeSwitched);

        using var subject = SigningKey.Generate();
        SupplyFixture.Ok(_f.Enrol(Trial, _f.Invite(Trial)[0], subject));
        SupplyFixture.Ok(_f.Amend(Trial, "HbA1c change from baseline at week 52", "Site added"));
        Assert.False(_f.Trial(Trial).OutcomeSwitched);
        var after = _f.Amend(Trial, "Fasting glucose at week 12");
        SupplyFixture.Ok(after);

        Assert.Contains(after.Events, e => e.Type == "trial.outcome_switched");
        var trial = _f.Trial(Trial);
        Assert.Equal(4, trial.Versions.Count);
        Assert.True(trial.OutcomeSwitched);
        Assert.Equal([true, false, true], trial.Versions.Skip(1).Select(v => v.EndpointsChanged));
        Assert.Equal([false, false, true], trial.Versions.Skip(1).Select(v => v.AfterEnrolment));
        Assert.Equal(TrialErrors.NotAuthorised, _f.Run(_f.Hospital, "trial.amend", "{\"trial\":\"trial:glp1-2027\"}").Code);
    }

    [Fact]
    public void A_screening_count_below_k_never_reaches_the_ledger()
    {
        SupplyFixture.Ok(_f.Register());

        Assert.Equal(TrialErrors.SmallCount, _f.Run(_f.Hospital, "trial.post_match", """{"trial":"trial:glp1-2027","eligible":4}""").Code);
        Assert.Equal(TrialErrors.SmallCount, _f.Run(_f.Hospital, "trial.post_match", """{"trial":"trial:glp1-2027","eligible":0}""").Code);
        SupplyFixture.Ok(_f.Run(_f.Hospital, "trial.post_match", """{"trial":"trial:glp1-2027","suppressed":true}"""));
        Assert.Null(StateJson.Read<MatchRecord>(_f.Chain.Engine.State.Get(TrialKeys.Match(Trial, InsuranceFixture.Hospital)))!.Eligible);
        SupplyFixture.Ok(_f.Run(_f.Hospital, "trial.post_match", """{"trial":"trial:glp1-2027","eligible":12}"""));
        Assert.Equal(12, StateJson.Read<MatchRecord>(_f.Chain.Engine.State.Get(TrialKeys.Match(Trial, InsuranceFixture.Hospital)))!.Eligible);
        Assert.Equal(TrialErrors.NotAuthorised, _f.Run(_f.SponsorKey, "trial.post_match", """{"trial":"trial:glp1-2027","eligible":12}""").Code);
        Assert.Equal(TrialErrors.NotAuthorised, _f.Run(_f.Insurance.DoctorKey, "trial.post_match", """{"trial":"trial:glp1-2027","eligible":12}""").Code);
    }

    [Fact]
    public void Invitations_go_out_at_least_k_at_a_time_and_each_id_once()
    {
        SupplyFixture.Ok(_f.Register());
        var four = Enumerable.Range(0, 4).Select(i => $"\"inv:{i:x32}\"");
        Assert.Equal(TrialErrors.SmallCount, _f.Run(_f.Hospital, "trial.invite", $$"""{"trial":"{{Trial}}","invitations":[{{string.Join(",", four)}}]}""").Code);
        var ids = _f.Invite(Trial);
        var again = string.Join(",", ids.Select(i => $"\"{i}\""));
        Assert.Equal(TrialErrors.BadInvitation, _f.Run(_f.Hospital, "trial.invite", $$"""{"trial":"{{Trial}}","invitations":[{{again}}]}""").Code);
    }

    [Fact]
    public void Enrolment_needs_the_subject_keys_signature_and_gives_a_pseudonym_of_that_key()
    {
        SupplyFixture.Ok(_f.Register());
        var invitations = _f.Invite(Trial);
        using var subject = SigningKey.Generate();
        using var other = SigningKey.Generate();

        Assert.Equal(TrialErrors.BadConsent, _f.Enrol(Trial, invitations[0], subject, signer: other).Code);
        Assert.Equal(TrialErrors.BadInvitation, _f.Enrol(Trial, "inv:" + new string('0', 32), subject).Code);
        var enrolled = _f.Enrol(Trial, invitations[0], subject);
        SupplyFixture.Ok(enrolled);

        var pseudonym = SubjectSignatures.Pseudonym(subject.Id);
        Assert.Equal(pseudonym, enrolled.Events.Single(e => e.Type == "trial.enrolled").Attributes["subject"]);
        Assert.Equal("enrolled", StateJson.Read<EnrolmentRecord>(_f.Chain.Engine.State.Get(TrialKeys.Subject(Trial, pseudonym)))!.Status);
        Assert.Equal(1, _f.Trial(Trial).Enrolled);
        Assert.NotNull(_f.Trial(Trial).FirstEnrolment);
        Assert.Equal(TrialErrors.BadInvitation, _f.Enrol(Trial, invitations[0], other).Code);
        Assert.Equal(TrialErrors.NotAuthorised, _f.Run(_f.SponsorKey, "trial.enrol", $$"""{"trial":"{{Trial}}","invitation":"{{invitations[1]}}"}""").Code);
    }

    [Fact]
    public void Trial_pseudonyms_are_unlinkable_across_trials_and_the_patient_id_never_appears()
    {
        SupplyFixture.Ok(_f.Register());
        SupplyFixture.Ok(_f.Register("trial:sglt2-2027"));
        using var first = SigningKey.Generate();
        using var second = SigningKey.Generate();
        SupplyFixture.Ok(_f.Enrol(Trial, _f.Invite(Trial)[0], first));
        var secondInvitation = _f.Invite("trial:sglt2-2027")[0];
        Assert.Equal(TrialErrors.KeyReused, _f.Enrol("trial:sglt2-2027", secondInvitation, first).Code);
        SupplyFixture.Ok(_f.Enrol("trial:sglt2-2027", secondInvitation, second));

        var a = _f.Chain.Store.ScanState(TrialKeys.SubjectsOf(Trial), 10).Single();
        var b = _f.Chain.Store.ScanState(TrialKeys.SubjectsOf("trial:sglt2-2027"), 10).Single();
        Assert.NotEqual(Encoding.UTF8.GetString(a.Value), Encoding.UTF8.GetString(b.Value));
        var everything = string.Concat(_f.Chain.Store.ScanState("trial/", 10_000).Select(r => r.Key + Encoding.UTF8.GetString(r.Value)));
        Assert.DoesNotContain(_f.Insurance.Patient, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(_f.Insurance.PatientKey.Id.ToString(), everything, StringComparison.Ordinal);
    }

    [Fact]
    public void A_withdrawn_subjects_data_is_refused_and_only_their_key_withdraws()
    {
        SupplyFixture.Ok(_f.Register());
        using var subject = SigningKey.Generate();
        SupplyFixture.Ok(_f.Enrol(Trial, _f.Invite(Trial)[0], subject));
        var pseudonym = SubjectSignatures.Pseudonym(subject.Id);
        SupplyFixture.Ok(Anchor("crf-001", "case_report_form", 1, pseudonym));

        var forged = Convert.ToBase64String(_f.Insurance.PatientKey.Sign(SubjectSignatures.Withdrawal(Trial, pseudonym)).Span);
        Assert.Equal(TrialErrors.BadConsent, _f.Run(_f.Hospital, "trial.withdraw", $$"""{"trial":"{{Trial}}","subject":"{{pseudonym}}","signature":"{{forged}}"}""").Code);
        var consentSignature = Convert.ToBase64String(subject.Sign(SubjectSignatures.Consent(Trial, new string('a', 64))).Span);
        Assert.Equal(TrialErrors.BadConsent, _f.Run(_f.Hospital, "trial.withdraw", $$"""{"trial":"{{Trial}}","subject":"{{pseudonym}}","signature":"{{consentSignature}}"}""").Code);
        var signature = Convert.ToBase64String(subject.Sign(SubjectSignatures.Withdrawal(Trial, pseudonym)).Span);
        SupplyFixture.Ok(_f.Run(_f.SponsorKey, "trial.withdraw", $$"""{"trial":"{{Trial}}","subject":"{{pseudonym}}","signature":"{{signature}}"}"""));

        Assert.Equal(TrialErrors.Withdrawn, Anchor("crf-001", "case_report_form", 2, pseudonym).Code);
        Assert.Equal(TrialErrors.Withdrawn, Anchor("crf-002", "data_submission", 1, pseudonym).Code);
        Assert.Equal(1, _f.Trial(Trial).Withdrawn);
        Assert.Equal("withdrawn", StateJson.Read<EnrolmentRecord>(_f.Chain.Engine.State.Get(TrialKeys.Subject(Trial, pseudonym)))!.Status);
    }

    [Fact]
    public void Documents_are_anchored_version_by_version_by_the_trials_parties_only()
    {
        SupplyFixture.Ok(_f.Register());
        var v1 = Testing.TestChain.RandomHash();
        SupplyFixture.Ok(Anchor("protocol", "protocol", 1, hash: v1));
        Assert.Equal(TrialErrors.BadDocument, Anchor("protocol", "protocol", 1).Code);
        Assert.Equal(TrialErrors.BadDocument, Anchor("protocol", "sap", 2).Code);
        Assert.Equal(TrialErrors.BadDocument, Anchor("protocol", "protocol", 2, hash: "not-a-hash").Code);
        SupplyFixture.Ok(Anchor("protocol", "protocol", 2, by: _f.Insurance.DoctorKey));
        Assert.Equal(TrialErrors.NotAuthorised, Anchor("protocol", "protocol", 3, by: _f.Insurance.InsurerKey).Code);

        var document = StateJson.Read<TrialDocumentRecord>(_f.Chain.Engine.State.Get(TrialKeys.Document(Trial, "protocol")))!;
        Assert.Equal(v1, document.Versions[0].Hash);
        Assert.Equal(InsuranceFixture.Doctor, document.Versions[1].Signer);
        Assert.Equal(TrialErrors.UnknownSubject, Anchor("crf-9", "case_report_form", 1, "subject:" + new string('0', 32)).Code);
    }

    [Fact]
    public void Adverse_events_are_reported_by_the_subjects_site_and_results_close_the_trial()
    {
        SupplyFixture.Ok(_f.Register());
        var invitations = _f.Invite(Trial);
        using var subject = SigningKey.Generate();
        SupplyFixture.Ok(_f.Enrol(Trial, invitations[0], subject));
        var pseudonym = SubjectSignatures.Pseudonym(subject.Id);
        var report = $$"""{"trial":"{{Trial}}","event":"ae-1","subject":"{{pseudonym}}","grade":3,"serious":true,"term":"10019211","reportHash":"{{Testing.TestChain.RandomHash()}}"}""";

        Assert.Equal(TrialErrors.NotAuthorised, _f.Run(_f.SponsorKey, "trial.report_adverse_event", report).Code);
        var reported = _f.Run(_f.Insurance.DoctorKey, "trial.report_adverse_event", report);
        SupplyFixture.Ok(reported);
        Assert.Contains(reported.Events, e => e.Type == "trial.serious_adverse_event");
        Assert.Equal(TrialErrors.BadDocument, _f.Run(_f.Hospital, "trial.report_adverse_event", report).Code);

        SupplyFixture.Ok(_f.Run(_f.SponsorKey, "trial.post_results", $$"""{"trial":"{{Trial}}","resultsHash":"{{Testing.TestChain.RandomHash()}}"}"""));
        var trial = _f.Trial(Trial);
        Assert.Equal(("results_posted", 1), (trial.Status, trial.AdverseEvents));
        using var late = SigningKey.Generate();
        Assert.Equal(TrialErrors.Closed, _f.Enrol(Trial, invitations[1], late).Code);
    }

    private Core.Ledger.TransactionResult Anchor(string document, string kind, int version, string? subject = null, string? hash = null, SigningKey? by = null) =>
        _f.Run(by ?? _f.SponsorKey, "trial.anchor",
            $$"""{"trial":"{{Trial}}","document":"{{document}}","kind":"{{kind}}","version":{{version}},"hash":"{{hash ?? Testing.TestChain.RandomHash()}}"{{(subject is null ? "" : $",\"subject\":\"{subject}\"")}}}""");
}
