namespace CareLedger.Contracts.Insurance;

/// <summary>
/// A claim on the ledger: who provided the service (organisation and rendering practitioner), under which policy,
/// the vault record of the FHIR Claim, the prescription behind a pharmacy claim, and each line's adjudication.
/// </summary>
public sealed record ClaimRecord(string Id, string Policy, string Patient, string Insurer, string Provider, string Practitioner, string? Record,
    string? Prescription, long Submitted, string Transaction, IReadOnlyList<ClaimLine> Lines);

/// <summary>
/// One line: code, units, billed amount and date of service, links, and its outcome — <see cref="Status"/> approved
/// (payer and patient amounts, which add up to <see cref="Allowed"/>), denied (a CARC reason) or pended (until an
/// officer decides) — with the steps that explain it.
/// </summary>
public sealed record ClaimLine(int Number, string Code, int Quantity, long Billed, long ServiceDate, string? Link, string Status, string? Reason,
    long Allowed, long PayerAmount, long PatientAmount, IReadOnlyList<string> Explanation);
