namespace CareLedger.Contracts.Insurance;

/// <summary>Stable rejection codes of the insurance contract (a claim line's denial reasons are <see cref="Carc"/> codes instead).</summary>
public static class InsuranceErrors
{
    public const string NotAuthorised = "ins.not_authorised";
    public const string BadPlan = "ins.bad_plan";
    public const string BadPolicy = "ins.bad_policy";
    public const string BadCard = "ins.bad_card";
    public const string BadClaim = "ins.bad_claim";
    public const string Exists = "ins.exists";
    public const string Unknown = "ins.unknown";
    public const string NotPended = "ins.not_pended";
    public const string InsufficientFunds = "ins.insufficient_funds";
    public const string BadAmount = "ins.bad_amount";
}
