namespace CareLedger.Contracts.Trials;

/// <summary>
/// A registered trial: its sponsor, sites, small-count threshold <see cref="K"/>, every protocol version (the first is the
/// registration), when enrolment began, how many subjects are enrolled and withdrawn, and the posted results' hash.
/// Status: recruiting, or results_posted (no more enrolment).
/// </summary>
public sealed record TrialRecord(string Id, string Sponsor, string Title, int K, IReadOnlyList<TrialSite> Sites, IReadOnlyList<TrialVersion> Versions,
    long? FirstEnrolment, int Enrolled, int Withdrawn, int AdverseEvents, string Status, string? ResultsHash, long? ResultsPosted)
{
    public TrialVersion Current => Versions[^1];

    /// <summary>True when any version changed the endpoints after the first subject was enrolled (outcome switching).</summary>
    public bool OutcomeSwitched => Versions.Any(v => v.EndpointsChanged && v.AfterEnrolment);
}

/// <summary>A site (a provider organisation) and its principal investigator (a licensed member of it).</summary>
public sealed record TrialSite(string Site, string Investigator);

/// <summary>
/// One version of the protocol: the hashes of the protocol and statistical analysis plan (the documents are in the vault),
/// the endpoints, the eligibility criteria, why it was made, and whether it changed the endpoints after enrolment began.
/// </summary>
public sealed record TrialVersion(int Number, string ProtocolHash, string SapHash, IReadOnlyList<string> PrimaryEndpoints,
    IReadOnlyList<string> SecondaryEndpoints, EligibilityCriteria Eligibility, string Reason, long Time, string Transaction,
    bool EndpointsChanged, bool AfterEnrolment);

/// <summary>
/// Structured eligibility: age range in whole years, administrative sex (FHIR gender), condition codes of which the patient has at
/// least one (a code also matches its children: E11 matches E11.9), excluded condition codes, medication codes of which the
/// patient takes at least one, and lab thresholds each met by the latest observation of that code. Empty lists do not restrict.
/// </summary>
public sealed record EligibilityCriteria(int? MinAge, int? MaxAge, string? Sex, IReadOnlyList<string> Conditions, IReadOnlyList<string> ExcludedConditions,
    IReadOnlyList<string> Medications, IReadOnlyList<LabThreshold> Labs);

/// <summary>A lab criterion: the observation code and an inclusive range (decimal strings, either end open).</summary>
public sealed record LabThreshold(string Code, string? Min, string? Max);

/// <summary>An invitation a site sent through the pseudonymous inbox; the patient behind it is known only to the site. Status: open, accepted.</summary>
public sealed record InvitationRecord(string Id, string Trial, string Site, string Status, long Time);

/// <summary>
/// An enrolled subject under a trial-only pseudonym (from a key made for this trial alone), the electronic consent's hash and the
/// subject key's signature over it, and whether consent was withdrawn. Status: enrolled, withdrawn.
/// </summary>
public sealed record EnrolmentRecord(string Subject, string Trial, string Site, string PublicKey, string ConsentHash, string ConsentSignature,
    long Enrolled, string Status, long? WithdrawnAt);

/// <summary>A screening count a site posted: the number of research-consenting patients who meet the criteria, or null when below k.</summary>
public sealed record MatchRecord(string Trial, string Site, int? Eligible, int K, int ProtocolVersion, long Time);

/// <summary>An essential trial document (eTMF) or data submission, and every anchored version.</summary>
public sealed record TrialDocumentRecord(string Trial, string Document, string Kind, string? Subject, IReadOnlyList<DocumentVersion> Versions);

/// <summary>One anchored version: the SHA-256 of the document, who signed it, in which transaction, when.</summary>
public sealed record DocumentVersion(int Version, string Hash, string Signer, string Transaction, long Time);

/// <summary>An adverse event report for a subject: CTCAE grade 1-5, seriousness, the MedDRA term code, and the hash of the report in the vault.</summary>
public sealed record AdverseEventRecord(string Id, string Trial, string Subject, string Site, int Grade, bool Serious, string Term, string ReportHash, long Time);
