namespace CareLedger.Contracts.Identity;

/// <summary>
/// The roles an organisation gives its members on the ledger (<see cref="MemberRecord.Roles"/>), and which purposes of use each
/// may claim. A caller's purpose is bound to what the ledger says they are, never to what they ask for.
/// </summary>
public static class Roles
{
    public const string Clinician = "clinician";
    public const string Nurse = "nurse";
    public const string Practitioner = "practitioner";
    public const string Pharmacist = "pharmacist";
    public const string Emergency = "emergency";
    public const string PrivacyOfficer = "privacy-officer";
    public const string SecurityOfficer = "security-officer";
    public const string Registrar = "registrar";
    public const string Hr = "hr";
    public const string ClaimsOfficer = "claims_officer";
    public const string InsuranceAdmin = "insurance_admin";
    public const string TrialManager = "trial_manager";
    public const string Researcher = "researcher";
    public const string Analyst = "analyst";
    public const string Auditor = "auditor";

    /// <summary>Roles that treat patients: they may claim the purposes TREAT and ETREAT.</summary>
    public static readonly IReadOnlySet<string> Clinical = new HashSet<string>([Clinician, Nurse, Practitioner, Pharmacist, Emergency], StringComparer.Ordinal);

    /// <summary>Roles that handle payment (HPAYMT), at an insurer.</summary>
    public static readonly IReadOnlySet<string> Payment = new HashSet<string>([ClaimsOfficer, InsuranceAdmin], StringComparer.Ordinal);

    /// <summary>Roles that do research (HRESCH).</summary>
    public static readonly IReadOnlySet<string> Research = new HashSet<string>([Researcher, TrialManager], StringComparer.Ordinal);

    /// <summary>Roles that run health-care operations (HOPERAT): quality, audit and privacy work.</summary>
    public static readonly IReadOnlySet<string> Operations = new HashSet<string>([PrivacyOfficer, Auditor, Clinician, Practitioner], StringComparer.Ordinal);
}
