namespace CareLedger.Contracts.Records;

/// <summary>
/// A record of a patient's lifelong record, as the ledger knows it: who holds it (custodian), its
/// category and FHIR resource type, and every version's salted hash. The content is in the custodian's
/// vault. Status: active or erased (crypto-shredded at the patient's request; the hashes stay).
/// </summary>
public sealed record RecordEntry(string Id, string Patient, string Custodian, string Category, string ResourceType,
    IReadOnlyList<RecordVersion> Versions, string Status)
{
    /// <summary>The record as the access decision point sees it.</summary>
    public Consent.RecordRef AsRef() => new(Id, Category, ResourceType);
}
