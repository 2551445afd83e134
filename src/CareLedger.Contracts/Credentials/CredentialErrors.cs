namespace CareLedger.Contracts.Credentials;

/// <summary>Stable rejection codes of the credentials contract and of the licence checks other contracts make.</summary>
public static class CredentialErrors
{
    public const string NotAuthorised = "cred.not_authorised";
    public const string BadCredential = "cred.bad_credential";
    public const string Exists = "cred.exists";
    public const string Unknown = "cred.unknown";
    public const string BadTransition = "cred.bad_transition";
    public const string BadEmployment = "cred.bad_employment";

    /// <summary>The practitioner holds no credential that is active for what they are doing, now.</summary>
    public const string NotLicensed = "cred.not_licensed";
}
