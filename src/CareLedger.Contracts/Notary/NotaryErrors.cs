namespace CareLedger.Contracts.Notary;

/// <summary>Stable rejection codes of the notary contract.</summary>
public static class NotaryErrors
{
    public const string BadHash = "notary.bad_hash";
    public const string BadDocumentType = "notary.bad_document_type";
}
