namespace CareLedger.Contracts.Identity;

/// <summary>A governance proposal to admit an organisation, with the governing organisations that approved it.</summary>
public sealed record ProposalRecord(string Id, OrganisationRecord Organisation, IReadOnlyList<string> PublicKeys, IReadOnlyList<string> Approvals, string Status);
