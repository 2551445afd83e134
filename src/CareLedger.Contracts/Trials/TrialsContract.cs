using System.Globalization;
using System.Text.RegularExpressions;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Credentials;
using CareLedger.Contracts.Identity;
using CareLedger.Core.Crypto;
using CareLedger.Core.Encoding;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.Trials;

/// <summary>
/// Clinical trials, registered before enrolment. The sponsor registers and amends the protocol (hashes, endpoints, eligibility,
/// sites with licensed investigators); sites post screening counts (never below k) and open pseudonymous invitations; a site enrols
/// a patient who accepted under a trial-only pseudonym with the consent signed by the subject's trial key; documents and data
/// submissions are anchored by hash and version; adverse events and withdrawals are recorded; the sponsor posts results.
/// </summary>
public sealed partial class TrialsContract : IContract
{
    public const int DefaultK = 5;

    [GeneratedRegex("^trial:[a-z0-9._-]{1,58}$")]
    private static partial Regex TrialPattern();

    [GeneratedRegex("^inv:[0-9a-f]{32}$")]
    private static partial Regex InvitationPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9.-]{1,20}$")]
    private static partial Regex CodePattern();

    /// <summary>The eTMF document kinds that may be anchored.</summary>
    public static readonly IReadOnlySet<string> DocumentKinds = new HashSet<string>(
        ["protocol", "sap", "informed_consent_form", "investigator_brochure", "case_report_form", "monitoring_report", "data_submission",
            "clinical_study_report", "ethics_approval", "other"], StringComparer.Ordinal);

    public string Name => "trial";

    public bool Handles(string action) => action is "register" or "amend" or "post_match" or "invite" or "enrol" or "withdraw" or "anchor"
        or "report_adverse_event" or "post_results";

    public void Execute(ContractCall call)
    {
        var caller = Caller.Resolve(call.State, call.Transaction.Signer) is { Kind: not "patient" } c ? c
            : throw ContractCall.Reject(TrialErrors.NotAuthorised, "Trial transactions are signed by a sponsor, a site or their staff.");
        if (call.Action == "register")
        {
            Register(call, caller);
            return;
        }
        var trial = Get(call.State, call.Args.GetString("trial"));
        switch (call.Action)
        {
            case "amend": Amend(call, Sponsor(caller, trial), trial); break;
            case "post_match": PostMatch(call, SiteNode(caller, trial), trial); break;
            case "invite": Invite(call, SiteNode(caller, trial), trial); break;
            case "enrol": Enrol(call, SiteNode(caller, trial), trial); break;
            case "withdraw": Withdraw(call, trial); break;
            case "anchor": Anchor(call, caller, trial); break;
            case "report_adverse_event": ReportAdverseEvent(call, SiteStaff(caller, trial), trial); break;
            case "post_results": PostResults(call, Sponsor(caller, trial), trial); break;
        }
    }

    /// <summary>The trial, or a rejection.</summary>
    public static TrialRecord Get(IStateReader state, string id) =>
        StateJson.Read<TrialRecord>(state.Get(TrialKeys.Trial(id))) ?? throw ContractCall.Reject(TrialErrors.UnknownTrial, $"No trial {id}.");

    /// <summary>The current (latest version) hash of each informed consent form anchored for the trial, oldest form first.</summary>
    public static IReadOnlyList<string> ConsentForms(IStateReader state, string trial) => StateJson.ReadIds(state, TrialKeys.DocumentsOf(trial))
        .Select(id => StateJson.Read<TrialDocumentRecord>(state.Get(TrialKeys.Document(trial, id)))!)
        .Where(d => d.Kind == "informed_consent_form")
        .Select(d => d.Versions[^1].Hash)
        .ToList();

    /// <summary>
    /// <c>trial.register {trial, title, protocolHash, sapHash, primaryEndpoints, secondaryEndpoints, eligibility: {minAge?, maxAge?, sex?,
    /// conditions, excludedConditions, medications, labs: [{code, min?, max?}]}, sites: [{site, investigator}], k?}</c>, by a research
    /// sponsor (its key or a trial_manager). Every investigator is a member of the site and holds a licence in good standing.
    /// </summary>
    private static void Register(ContractCall call, Caller caller)
    {
        var id = call.Args.GetString("trial");
        if (OrganisationKinds.Of(call.State, caller.Organisation) != "ResearchSponsor" || (caller.Kind == "member" && !caller.Roles.Contains(Roles.TrialManager)))
        {
            throw ContractCall.Reject(TrialErrors.NotAuthorised, $"Trials are registered by a research sponsor (its key or a {Roles.TrialManager}).");
        }
        if (!TrialPattern().IsMatch(id))
        {
            throw ContractCall.Reject(TrialErrors.BadTrial, "trial is trial: and 1-58 of [a-z0-9._-].");
        }
        if (call.State.Get(TrialKeys.Trial(id)) is not null)
        {
            throw ContractCall.Reject(TrialErrors.Exists, $"Trial {id} is already registered; amend it instead.");
        }
        var k = call.Args.GetInt64OrDefault("k", DefaultK);
        if (k is < DefaultK or > 1000)
        {
            throw ContractCall.Reject(TrialErrors.BadTrial, $"k is between {DefaultK} and 1000.");
        }
        var sites = call.Args.GetObjectArray("sites").Select(s => new TrialSite(s.GetString("site"), s.GetString("investigator"))).ToList();
        if (sites.Count == 0 || sites.Select(s => s.Site).Distinct().Count() != sites.Count)
        {
            throw ContractCall.Reject(TrialErrors.BadSite, "A trial names one or more distinct sites.");
        }
        foreach (var site in sites)
        {
            CheckSite(call, site);
        }
        var title = Text(call.Args.GetString("title"), "title");
        var version = ReadVersion(call, 1, null, "registration", false);
        var trial = new TrialRecord(id, caller.Organisation, title, (int)k, sites, [version], null, 0, 0, 0, "recruiting", null, null);
        call.State.Put(TrialKeys.Trial(id), StateJson.Write(trial));
        call.Emit("trial.registered", ("trial", id), ("sponsor", caller.Organisation), ("protocolHash", version.ProtocolHash));
    }

    /// <summary>
    /// <c>trial.amend {trial, protocolHash, sapHash, primaryEndpoints, secondaryEndpoints, eligibility, reason}</c>: a new version. A
    /// change of endpoints after the first enrolment is flagged on the version and raises <c>trial.outcome_switched</c>.
    /// </summary>
    private static void Amend(ContractCall call, string sponsor, TrialRecord trial)
    {
        OpenFor(trial);
        var reason = Text(call.Args.GetString("reason"), "reason");
        var version = ReadVersion(call, trial.Versions.Count + 1, trial.Current, reason, trial.FirstEnrolment is not null);
        call.State.Put(TrialKeys.Trial(trial.Id), StateJson.Write(trial with { Versions = [.. trial.Versions, version] }));
        call.Emit("trial.amended", ("trial", trial.Id), ("version", version.Number.ToString(CultureInfo.InvariantCulture)),
            ("endpointsChanged", version.EndpointsChanged ? "true" : "false"), ("sponsor", sponsor));
        if (version.EndpointsChanged && version.AfterEnrolment)
        {
            call.Emit("trial.outcome_switched", ("trial", trial.Id), ("version", version.Number.ToString(CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>
    /// <c>trial.post_match {trial, eligible | suppressed: true}</c>, by a site's node: how many of its research-consenting patients meet
    /// the current criteria. A count below k is never written (the site posts <c>suppressed</c>), so it never reaches the sponsor.
    /// </summary>
    private static void PostMatch(ContractCall call, string site, TrialRecord trial)
    {
        int? eligible = call.Args.Has("suppressed") && call.Args.GetBoolean("suppressed") ? null : (int)call.Args.GetInt64("eligible");
        if (eligible < trial.K)
        {
            throw ContractCall.Reject(TrialErrors.SmallCount, $"A count below k = {trial.K} is posted as suppressed, never as a number.");
        }
        call.State.Put(TrialKeys.Match(trial.Id, site), StateJson.Write(new MatchRecord(trial.Id, site, eligible, trial.K, trial.Current.Number, call.Block.Timestamp)));
        call.Emit("trial.match_posted", ("trial", trial.Id), ("site", site));
    }

    /// <summary>
    /// <c>trial.invite {trial, invitations: [inv:…]}</c>, by a site's node: opens one inbox entry per eligible patient. Only the site knows
    /// who is behind each one. At least k are sent at once, so a count below k never shows.
    /// </summary>
    private static void Invite(ContractCall call, string site, TrialRecord trial)
    {
        OpenFor(trial);
        var invitations = call.Args.GetStringArray("invitations");
        if (invitations.Count < trial.K || invitations.Count > 10_000 || invitations.Distinct().Count() != invitations.Count)
        {
            throw ContractCall.Reject(TrialErrors.SmallCount, $"Invitations go out k = {trial.K} or more at a time (at most 10,000), each once.");
        }
        foreach (var id in invitations)
        {
            if (!InvitationPattern().IsMatch(id) || call.State.Get(TrialKeys.Invitation(id)) is not null)
            {
                throw ContractCall.Reject(TrialErrors.BadInvitation, "An invitation id is inv: and 32 random hex digits, used once.");
            }
            call.State.Put(TrialKeys.Invitation(id), StateJson.Write(new InvitationRecord(id, trial.Id, site, "open", call.Block.Timestamp)));
        }
        call.Emit("trial.invited", ("trial", trial.Id), ("site", site), ("count", invitations.Count.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// <c>trial.enrol {trial, invitation, publicKey, consentHash, consentSignature}</c>, by the site's node for the patient who accepted the
    /// invitation: the subject key (made for this trial alone) signed the consent (the current version of an anchored informed consent
    /// form, when the trial has one); its key id gives the trial pseudonym.
    /// </summary>
    private static void Enrol(ContractCall call, string site, TrialRecord trial)
    {
        OpenFor(trial);
        var invitation = StateJson.Read<InvitationRecord>(call.State.Get(TrialKeys.Invitation(call.Args.GetString("invitation"))));
        if (invitation is null || invitation.Trial != trial.Id || invitation.Site != site || invitation.Status != "open")
        {
            throw ContractCall.Reject(TrialErrors.BadInvitation, "The invitation is not an open one of this site for this trial.");
        }
        var consentHash = Hex(call.Args.GetString("consentHash"), "consentHash");
        var forms = ConsentForms(call.State, trial.Id);
        if (forms.Count > 0 && !forms.Contains(consentHash))
        {
            throw ContractCall.Reject(TrialErrors.BadConsent, "consentHash is not the current version of the trial's informed consent form.");
        }
        var spki = call.Args.GetString("publicKey");
        var signature = call.Args.GetString("consentSignature");
        using var key = SubjectKey(spki);
        if (!Verify(key, SubjectSignatures.Consent(trial.Id, consentHash), signature))
        {
            throw ContractCall.Reject(TrialErrors.BadConsent, "consentSignature is not the subject key's ES256 signature of the consent.");
        }
        if (call.State.Get(TrialKeys.SubjectKey(key.Id.ToString())) is not null)
        {
            throw ContractCall.Reject(TrialErrors.KeyReused, "This key already serves a trial; a subject key is made for one trial only.");
        }
        var subject = SubjectSignatures.Pseudonym(key.Id);
        call.State.Put(TrialKeys.SubjectKey(key.Id.ToString()), System.Text.Encoding.UTF8.GetBytes(trial.Id));
        call.State.Put(TrialKeys.Subject(trial.Id, subject),
            StateJson.Write(new EnrolmentRecord(subject, trial.Id, site, spki, consentHash, signature, call.Block.Timestamp, "enrolled", null)));
        StateJson.AppendId(call.State, TrialKeys.SubjectsOf(trial.Id), subject);
        call.State.Put(TrialKeys.Invitation(invitation.Id), StateJson.Write(invitation with { Status = "accepted" }));
        call.State.Put(TrialKeys.Trial(trial.Id), StateJson.Write(trial with { FirstEnrolment = trial.FirstEnrolment ?? call.Block.Timestamp, Enrolled = trial.Enrolled + 1 }));
        call.Emit("trial.enrolled", ("trial", trial.Id), ("site", site), ("subject", subject));
    }

    /// <summary>
    /// <c>trial.withdraw {trial, subject, signature}</c>: the subject withdraws consent (signed with their trial key; anyone may carry it).
    /// No further data submission for the subject is accepted.
    /// </summary>
    private static void Withdraw(ContractCall call, TrialRecord trial)
    {
        var enrolment = Enrolled(call.State, trial, call.Args.GetString("subject"));
        using var key = SubjectKey(enrolment.PublicKey);
        if (!Verify(key, SubjectSignatures.Withdrawal(trial.Id, enrolment.Subject), call.Args.GetString("signature")))
        {
            throw ContractCall.Reject(TrialErrors.BadConsent, "signature is not the subject key's ES256 signature of the withdrawal.");
        }
        call.State.Put(TrialKeys.Subject(trial.Id, enrolment.Subject), StateJson.Write(enrolment with { Status = "withdrawn", WithdrawnAt = call.Block.Timestamp }));
        call.State.Put(TrialKeys.Trial(trial.Id), StateJson.Write(trial with { Withdrawn = trial.Withdrawn + 1 }));
        call.Emit("trial.withdrawn", ("trial", trial.Id), ("site", enrolment.Site), ("subject", enrolment.Subject));
    }

    /// <summary>
    /// <c>trial.anchor {trial, document, kind, version, hash, subject?}</c>, by the sponsor or a site (or their staff): the next version of an
    /// essential document or a data submission, by its SHA-256. A subject's data is accepted only while they are enrolled.
    /// </summary>
    private static void Anchor(ContractCall call, Caller caller, TrialRecord trial)
    {
        var isSponsor = caller.Organisation == trial.Sponsor && (caller.Kind == "organisation" || caller.Roles.Contains(Roles.TrialManager));
        var isSite = trial.Sites.Any(s => s.Site == caller.Organisation) && (caller.Kind == "organisation" || trial.Sites.Any(s => s.Investigator == caller.Id));
        if (!isSponsor && !isSite)
        {
            throw ContractCall.Reject(TrialErrors.NotAuthorised, "Documents are anchored by the trial's sponsor or its sites.");
        }
        var documentId = call.Args.GetString("document");
        var kind = call.Args.GetString("kind");
        var subject = call.Args.GetOptionalString("subject");
        if (!NamePattern().IsMatch(documentId) || !DocumentKinds.Contains(kind))
        {
            throw ContractCall.Reject(TrialErrors.BadDocument, $"document is 1-64 of [a-z0-9._-]; kind one of {string.Join(", ", DocumentKinds)}.");
        }
        if (subject is not null && Enrolled(call.State, trial, subject).Status == "withdrawn")
        {
            throw ContractCall.Reject(TrialErrors.Withdrawn, $"{subject} withdrew consent; no further data is used.");
        }
        var existing = StateJson.Read<TrialDocumentRecord>(call.State.Get(TrialKeys.Document(trial.Id, documentId)));
        if (existing is not null && (existing.Kind != kind || existing.Subject != subject))
        {
            throw ContractCall.Reject(TrialErrors.BadDocument, $"{documentId} is a {existing.Kind} document{(existing.Subject is null ? "" : " of " + existing.Subject)}.");
        }
        var number = (existing?.Versions.Count ?? 0) + 1;
        if (call.Args.GetInt64("version") != number)
        {
            throw ContractCall.Reject(TrialErrors.BadDocument, $"The next version of {documentId} is {number}.");
        }
        var version = new DocumentVersion(number, Hex(call.Args.GetString("hash"), "hash"), caller.Id, call.Transaction.Id.ToString(), call.Block.Timestamp);
        var document = existing is null
            ? new TrialDocumentRecord(trial.Id, documentId, kind, subject, [version])
            : existing with { Versions = [.. existing.Versions, version] };
        call.State.Put(TrialKeys.Document(trial.Id, documentId), StateJson.Write(document));
        if (existing is null)
        {
            StateJson.AppendId(call.State, TrialKeys.DocumentsOf(trial.Id), documentId);
        }
        call.Emit("trial.document_anchored", ("trial", trial.Id), ("document", documentId), ("version", number.ToString(CultureInfo.InvariantCulture)),
            ("hash", version.Hash));
    }

    /// <summary><c>trial.report_adverse_event {trial, event, subject, grade, serious, term, reportHash}</c>, by a site or its investigator.</summary>
    private static void ReportAdverseEvent(ContractCall call, string site, TrialRecord trial)
    {
        var enrolment = Enrolled(call.State, trial, call.Args.GetString("subject"));
        var id = call.Args.GetString("event");
        var grade = call.Args.GetInt64("grade");
        var term = call.Args.GetString("term");
        if (enrolment.Site != site)
        {
            throw ContractCall.Reject(TrialErrors.NotAuthorised, $"{enrolment.Subject} is followed by {enrolment.Site}.");
        }
        if (!NamePattern().IsMatch(id) || grade is < 1 or > 5 || !CodePattern().IsMatch(term) || call.State.Get(TrialKeys.AdverseEvent(trial.Id, id)) is not null)
        {
            throw ContractCall.Reject(TrialErrors.BadDocument, "event is a new id of [a-z0-9._-], grade a CTCAE grade 1-5, term a MedDRA code.");
        }
        var report = new AdverseEventRecord(id, trial.Id, enrolment.Subject, site, (int)grade, call.Args.GetBoolean("serious"), term,
            Hex(call.Args.GetString("reportHash"), "reportHash"), call.Block.Timestamp);
        call.State.Put(TrialKeys.AdverseEvent(trial.Id, id), StateJson.Write(report));
        StateJson.AppendId(call.State, TrialKeys.AdverseEventsOf(trial.Id), id);
        call.State.Put(TrialKeys.Trial(trial.Id), StateJson.Write(trial with { AdverseEvents = trial.AdverseEvents + 1 }));
        call.Emit(report.Serious ? "trial.serious_adverse_event" : "trial.adverse_event", ("trial", trial.Id), ("event", id), ("sponsor", trial.Sponsor));
    }

    /// <summary><c>trial.post_results {trial, resultsHash}</c>, by the sponsor: the results are posted and enrolment closes.</summary>
    private static void PostResults(ContractCall call, string sponsor, TrialRecord trial)
    {
        OpenFor(trial);
        var hash = Hex(call.Args.GetString("resultsHash"), "resultsHash");
        call.State.Put(TrialKeys.Trial(trial.Id), StateJson.Write(trial with { Status = "results_posted", ResultsHash = hash, ResultsPosted = call.Block.Timestamp }));
        call.Emit("trial.results_posted", ("trial", trial.Id), ("sponsor", sponsor), ("hash", hash));
    }

    private static void CheckSite(ContractCall call, TrialSite site)
    {
        if (OrganisationKinds.Of(call.State, site.Site) is not { } kind || !OrganisationKinds.Providers.Contains(kind))
        {
            throw ContractCall.Reject(TrialErrors.BadSite, $"{site.Site} is not a provider organisation on the ledger.");
        }
        if (Caller.Member(call.State, site.Investigator, site.Site) is null)
        {
            throw ContractCall.Reject(TrialErrors.BadSite, $"{site.Investigator} is not an active member of {site.Site}.");
        }
        var standing = Licensing.InGoodStanding(call.State, site.Investigator, call.Block.Timestamp);
        if (!standing.Licensed)
        {
            throw ContractCall.Reject(TrialErrors.InvestigatorNotLicensed, $"{site.Investigator} holds no licence in good standing ({standing.Standing}).");
        }
    }

    private static TrialVersion ReadVersion(ContractCall call, int number, TrialVersion? previous, string reason, bool afterEnrolment)
    {
        var primary = Endpoints(call.Args.GetStringArray("primaryEndpoints"));
        var secondary = Endpoints(call.Args.GetStringArrayOrEmpty("secondaryEndpoints"));
        if (primary.Count == 0)
        {
            throw ContractCall.Reject(TrialErrors.BadTrial, "A trial names at least one primary endpoint.");
        }
        var changed = previous is not null && (!previous.PrimaryEndpoints.SequenceEqual(primary) || !previous.SecondaryEndpoints.SequenceEqual(secondary));
        return new TrialVersion(number, Hex(call.Args.GetString("protocolHash"), "protocolHash"), Hex(call.Args.GetString("sapHash"), "sapHash"),
            primary, secondary, ReadEligibility(call.Args.GetObject("eligibility")), reason, call.Block.Timestamp, call.Transaction.Id.ToString(),
            changed, afterEnrolment && changed);
    }

    private static EligibilityCriteria ReadEligibility(TransactionArgs args)
    {
        int? Age(string name) => args.GetInt64OrDefault(name, -1) switch
        {
            -1 => null,
            >= 0 and <= 150 and var years => (int)years,
            _ => throw ContractCall.Reject(TrialErrors.BadTrial, $"{name} is whole years, 0-150."),
        };
        var sex = args.GetOptionalString("sex");
        if (sex is not null and not ("male" or "female" or "other" or "unknown"))
        {
            throw ContractCall.Reject(TrialErrors.BadTrial, "sex is male, female, other or unknown (FHIR administrative gender).");
        }
        var labs = args.Has("labs") ? args.GetObjectArray("labs").Select(l => new LabThreshold(Code(l.GetString("code")), Number(l.GetOptionalString("min")),
            Number(l.GetOptionalString("max")))).ToList() : [];
        return new EligibilityCriteria(Age("minAge"), Age("maxAge"), sex, Codes(args.GetStringArrayOrEmpty("conditions")),
            Codes(args.GetStringArrayOrEmpty("excludedConditions")), Codes(args.GetStringArrayOrEmpty("medications")), labs);
    }

    private static List<string> Codes(IReadOnlyList<string> codes) => codes.Select(Code).ToList();

    private static string Code(string code) => CodePattern().IsMatch(code) ? code
        : throw ContractCall.Reject(TrialErrors.BadTrial, $"'{code}' is not a code (1-20 of letters, digits, '.', '-').");

    private static string? Number(string? value) => value is null
        || decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _) ? value
        : throw ContractCall.Reject(TrialErrors.BadTrial, $"'{value}' is not a decimal number.");

    private static List<string> Endpoints(IReadOnlyList<string> endpoints) => endpoints.Select(e => Text(e, "endpoint")).ToList();

    private static string Text(string value, string name) => value.Length is > 0 and <= 200 && !value.Any(char.IsControl) ? value
        : throw ContractCall.Reject(TrialErrors.BadTrial, $"{name} is 1-200 printable characters.");

    private static string Hex(string value, string name) => Identifiers.IsHexHash(value) ? value
        : throw ContractCall.Reject(TrialErrors.BadDocument, $"{name} is a SHA-256 in 64 lowercase hex digits.");

    private static EnrolmentRecord Enrolled(IStateReader state, TrialRecord trial, string subject) =>
        StateJson.Read<EnrolmentRecord>(state.Get(TrialKeys.Subject(trial.Id, subject)))
        ?? throw ContractCall.Reject(TrialErrors.UnknownSubject, $"{subject} is not enrolled in {trial.Id}.");

    private static PublicKey SubjectKey(string spki)
    {
        try
        {
            return PublicKey.FromSubjectPublicKeyInfo(Convert.FromBase64String(spki));
        }
        catch (FormatException)
        {
            throw ContractCall.Reject(TrialErrors.BadConsent, "publicKey is a base64 P-256 SubjectPublicKeyInfo.");
        }
    }

    private static bool Verify(PublicKey key, byte[] message, string signature)
    {
        try
        {
            return key.Verify(message, Convert.FromBase64String(signature));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static void OpenFor(TrialRecord trial)
    {
        if (trial.Status != "recruiting")
        {
            throw ContractCall.Reject(TrialErrors.Closed, $"{trial.Id}'s results are posted; it takes no more changes.");
        }
    }

    private static string Sponsor(Caller caller, TrialRecord trial) =>
        caller.Organisation == trial.Sponsor && (caller.Kind == "organisation" || caller.Roles.Contains(Roles.TrialManager)) ? trial.Sponsor
            : throw ContractCall.Reject(TrialErrors.NotAuthorised, $"Only {trial.Sponsor} (its key or a {Roles.TrialManager}) does this.");

    private static string SiteNode(Caller caller, TrialRecord trial) =>
        caller.Kind == "organisation" && trial.Sites.Any(s => s.Site == caller.Organisation) ? caller.Organisation
            : throw ContractCall.Reject(TrialErrors.NotAuthorised, "Only a site's own key (its node) does this.");

    private static string SiteStaff(Caller caller, TrialRecord trial) =>
        trial.Sites.FirstOrDefault(s => s.Site == caller.Organisation && (caller.Kind == "organisation" || s.Investigator == caller.Id)) is { } site ? site.Site
            : throw ContractCall.Reject(TrialErrors.NotAuthorised, "Only a site (its key or its investigator) does this.");
}
