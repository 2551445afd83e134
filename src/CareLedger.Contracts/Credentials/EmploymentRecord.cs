namespace CareLedger.Contracts.Credentials;

/// <summary>A period of employment a provider organisation attested for a practitioner (<see cref="Until"/> null while it lasts).</summary>
public sealed record EmploymentRecord(string Organisation, string Role, long From, long? Until, string Transaction);
