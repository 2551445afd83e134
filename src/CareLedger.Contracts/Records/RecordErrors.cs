namespace CareLedger.Contracts.Records;

/// <summary>Stable rejection codes of the records contract.</summary>
public static class RecordErrors
{
    public const string NotAuthorised = "records.not_authorised";
    public const string UnknownRecord = "records.unknown_record";
    public const string Erased = "records.erased";
    public const string BadRecord = "records.bad_record";

    /// <summary>An access entry claimed a permit that the decision from ledger state at that block does not give.</summary>
    public const string DecisionMismatch = "records.decision_mismatch";

    /// <summary>A version the ledger lists but the custodian's vault does not hold (written outside its gatekeeper): withheld.</summary>
    public const string NotInVault = "records.not_in_vault";
}
