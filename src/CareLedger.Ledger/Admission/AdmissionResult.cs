using CareLedger.Core.Ledger;

namespace CareLedger.Ledger.Admission;

/// <summary>A transaction accepted for ordering, or the reason it was refused.</summary>
public readonly record struct AdmissionResult(Transaction? Transaction, LedgerRejection? Rejection)
{
    public bool Accepted => Rejection is null;

    public static AdmissionResult Refused(string code, string message, Transaction? tx = null) => new(tx, new LedgerRejection(code, message));
}
