namespace CareLedger.Contracts.Prescriptions;

/// <summary>Stable rejection codes of the prescription contract.</summary>
public static class PrescriptionErrors
{
    public const string NotAuthorised = "rx.not_authorised";
    public const string BadPrescription = "rx.bad_prescription";
    public const string Exists = "rx.exists";
    public const string Unknown = "rx.unknown";
    public const string NotActive = "rx.not_active";
    public const string Expired = "rx.expired";
    public const string FullyDispensed = "rx.fully_dispensed";
    public const string WrongQuantity = "rx.wrong_quantity";
    public const string WrongProduct = "rx.wrong_product";
    public const string TooEarly = "rx.too_early";
}
