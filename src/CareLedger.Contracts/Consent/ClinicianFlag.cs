namespace CareLedger.Contracts.Consent;

/// <summary>A clinician whose emergency accesses a privacy officer found unjustified: how many, and which.</summary>
public sealed record ClinicianFlag(string Clinician, string Organisation, int Unjustified, IReadOnlyList<string> Emergencies);
