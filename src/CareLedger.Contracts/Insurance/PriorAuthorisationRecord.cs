namespace CareLedger.Contracts.Insurance;

/// <summary>A prior authorisation: requested by a provider for units of a code under a policy; approved until a date, or denied.</summary>
public sealed record PriorAuthorisationRecord(string Id, string Policy, string Provider, string Practitioner, string Code, int Quantity, int Used,
    string Status, long? ValidUntil, string? Reason);
