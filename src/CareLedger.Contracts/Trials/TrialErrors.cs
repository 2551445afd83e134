namespace CareLedger.Contracts.Trials;

/// <summary>Stable rejection codes of the trials contract.</summary>
public static class TrialErrors
{
    public const string NotAuthorised = "trial.not_authorised";
    public const string BadTrial = "trial.bad_trial";
    public const string UnknownTrial = "trial.unknown";
    public const string Exists = "trial.exists";
    public const string BadSite = "trial.bad_site";
    public const string InvestigatorNotLicensed = "trial.investigator_not_licensed";
    public const string SmallCount = "trial.small_count";
    public const string BadInvitation = "trial.bad_invitation";
    public const string BadConsent = "trial.bad_consent";
    public const string KeyReused = "trial.key_reused";
    public const string UnknownSubject = "trial.unknown_subject";
    public const string Withdrawn = "trial.withdrawn";
    public const string BadDocument = "trial.bad_document";
    public const string Closed = "trial.closed";
}
