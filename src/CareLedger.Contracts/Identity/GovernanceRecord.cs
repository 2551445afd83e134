namespace CareLedger.Contracts.Identity;

/// <summary>The governance rule and the organisations that govern.</summary>
public sealed record GovernanceRecord(string Rule, IReadOnlyList<string> Governing);
