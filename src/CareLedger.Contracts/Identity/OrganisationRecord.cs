namespace CareLedger.Contracts.Identity;

/// <summary>An organisation on the ledger. Status: active or suspended.</summary>
public sealed record OrganisationRecord(string Id, string Kind, bool Governing, string Status);
