namespace CareLedger.Contracts.Prescriptions;

/// <summary>
/// A prescription's state on the ledger (the FHIR MedicationRequest itself is in the prescriber's vault,
/// referenced by <see cref="Record"/>): the product, how many packages per fill, refills, validity,
/// controlled-substance refill interval, each fill, and the status (active, completed, cancelled), and when it was written.
/// </summary>
public sealed record PrescriptionRecord(string Id, string Patient, string Prescriber, string Organisation, string Gtin, int PackagesPerFill,
    int Refills, long Expires, bool Controlled, long MinRefillIntervalMs, string? Record, IReadOnlyList<Fill> Fills, string Status,
    string? CancelReason, long Written = 0);

/// <summary>One fill: which pharmacy and pharmacist, when, which packages, and the MedicationDispense record in the pharmacy's vault.</summary>
public sealed record Fill(string Pharmacy, string Pharmacist, string Transaction, long Time, IReadOnlyList<string> Units, string? Record = null);
