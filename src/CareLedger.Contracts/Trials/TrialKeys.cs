namespace CareLedger.Contracts.Trials;

/// <summary>State keys of the trials contract.</summary>
public static class TrialKeys
{
    public const string TrialPrefix = "trial/trial/";

    public static string Trial(string id) => TrialPrefix + id;

    public static string Invitation(string id) => $"trial/invitation/{id}";

    /// <summary>An enrolled subject, by trial pseudonym; <see cref="SubjectsOf"/> lists a trial's subjects.</summary>
    public static string Subject(string trial, string subject) => $"trial/subject/{trial}/{subject}";

    public static string SubjectsOf(string trial) => $"trial/subjects/{trial}";

    /// <summary>Marks a subject key as used, so one key (and so one pseudonym) never serves two trials.</summary>
    public static string SubjectKey(string keyId) => $"trial/key/{keyId}";

    public static string Document(string trial, string document) => $"trial/document/{trial}/{document}";

    public static string DocumentsOf(string trial) => $"trial/documents/{trial}";

    public static string AdverseEvent(string trial, string id) => $"trial/ae/{trial}/{id}";

    public static string AdverseEventsOf(string trial) => $"trial/aes/{trial}";

    /// <summary>The latest screening count a site posted for a trial.</summary>
    public static string Match(string trial, string site) => $"trial/match/{trial}/{site}";
}
