namespace CareLedger.Contracts.Insurance;

/// <summary>
/// Why a claim line was denied or pended, as X12 Claim Adjustment Reason Codes (CARC) where one fits; the pend
/// reasons are CareLedger's own.
/// </summary>
public static class Carc
{
    /// <summary>The claim lacks information: here, no clinical record of the provider shows it treated the patient then.</summary>
    public const string LacksInformation = "16";
    public const string Duplicate = "18";
    public const string BeforeCoverage = "26";
    public const string AfterCoverage = "27";
    public const string NonCovered = "96";
    public const string BenefitMaximum = "119";
    public const string NoAuthorisation = "197";
    /// <summary>Payment is denied when performed or billed by this type of provider.</summary>
    public const string ProviderType = "170";

    /// <summary>The rendering provider is not eligible to perform the service billed.</summary>
    public const string RenderingNotEligible = "185";
    public const string NotInPlan = "204";
    public const string OutOfNetwork = "242";
    public const string ProviderNotEligible = "B7";

    /// <summary>Pended: the allowed amount is above the plan's review threshold.</summary>
    public const string PendReview = "pend.review";

    /// <summary>Pended: the insurer's settlement account cannot cover the payment yet.</summary>
    public const string PendFunds = "pend.funds";
}
