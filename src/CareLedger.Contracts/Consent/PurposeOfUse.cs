namespace CareLedger.Contracts.Consent;

/// <summary>The HL7 v3 PurposeOfUse codes a grant may name (code system 2.16.840.1.113883.5.8).</summary>
public static class PurposeOfUse
{
    public const string Treatment = "TREAT";
    public const string Payment = "HPAYMT";
    public const string Operations = "HOPERAT";
    public const string Research = "HRESCH";
    public const string Emergency = "ETREAT";

    /// <summary>All accepted codes.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>([Treatment, Payment, Operations, Research, Emergency], StringComparer.Ordinal);
}
