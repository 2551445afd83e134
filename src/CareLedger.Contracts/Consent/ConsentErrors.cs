namespace CareLedger.Contracts.Consent;

/// <summary>Stable codes of the consent contract and of access decisions.</summary>
public static class ConsentErrors
{
    public const string NotAuthorised = "consent.not_authorised";
    public const string UnknownPatient = "consent.unknown_patient";
    public const string UnknownGrant = "consent.unknown_grant";
    public const string UnknownEmergency = "consent.unknown_emergency";
    public const string BadGrant = "consent.bad_grant";
    public const string AlreadyRevoked = "consent.already_revoked";
    public const string AlreadyReviewed = "consent.already_reviewed";
    public const string DelegationExists = "consent.delegation_exists";
    public const string ReviewPending = "consent.review_pending";

    // Reasons of a Permit.
    public const string Granted = "consent.granted";

    // Reasons of a Deny.
    public const string NotGranted = "consent.not_granted";
    public const string Revoked = "consent.revoked";
    public const string Expired = "consent.expired";
    public const string NotYetValid = "consent.not_yet_valid";
    public const string ActionNotGranted = "consent.action_not_granted";
    public const string PurposeNotGranted = "consent.purpose_not_granted";
    public const string PurposeNotPermitted = "consent.purpose_not_permitted";
    public const string OutOfScope = "consent.out_of_scope";
    public const string UnknownCaller = "consent.unknown_caller";
}
