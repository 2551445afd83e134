namespace CareLedger.Contracts.Identity;

/// <summary>Stable rejection codes of the identity contract.</summary>
public static class IdentityErrors
{
    public const string NotAuthorised = "identity.not_authorised";
    public const string BadIdentifier = "identity.bad_identifier";
    public const string BadKey = "identity.bad_key";
    public const string AlreadyExists = "identity.already_exists";
    public const string UnknownOrganisation = "identity.unknown_organisation";
    public const string UnknownMember = "identity.unknown_member";
    public const string UnknownPatient = "identity.unknown_patient";
    public const string UnknownProposal = "identity.unknown_proposal";
    public const string UnknownKey = "identity.unknown_key";
    public const string AlreadyApproved = "identity.already_approved";
    public const string ProposalClosed = "identity.proposal_closed";
    public const string BadProof = "identity.bad_proof";
    public const string RecoveryPending = "identity.recovery_pending";
    public const string AlreadyAttested = "identity.already_attested";
}
