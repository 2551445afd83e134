namespace CareLedger.Contracts.Insurance;

/// <summary>
/// Why a claim line was denied or pended, as X12 Claim Adjustment Reason Codes (CARC) where one fits; the pend
/// reasons are CareLedger's own.
/// </summary>
public static class Carc
{
    public const string Duplicate = "18";
    public const string BeforeCoverage = "26";
    public const string AfterCoverage = "27";
    public const string NonCovered = "96";
    public const string BenefitMaximum = "119";
    public const string NoAuthorisation = "197";
    public const string NotInPlan = "204";
    public const string OutOfNetwork = "242";
    public const string ProviderNotEligible = "B7";

    /// <summary>Pended: the allowed amount is above the plan's review threshold.</summary>
    public const string PendReview = "pend.review";

    /// <summary>Pended: the insurer's settlement account cannot cover the payment yet.</summary>
    public const string PendFunds = "pend.funds";
}
