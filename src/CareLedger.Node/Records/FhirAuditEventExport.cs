using CareLedger.Contracts.Records;
using Hl7.Fhir.Model;

namespace CareLedger.Node.Records;

/// <summary>
/// A ledger access entry as a FHIR R4 <c>AuditEvent</c>: a read (action R) of a patient record (DICOM
/// 110110), outcome success (0) when released or minor failure (4) when refused, the purpose, the
/// accessor as requesting agent, the custodian as observer and the record as entity — all by ledger
/// identifier, nothing clinical.
/// </summary>
public static class FhirAuditEventExport
{
    private const string Ledger = "urn:careledger:";

    public static AuditEvent ToFhir(AccessEntry entry, string custodian) => new()
    {
        Id = entry.Id,
        Type = new Coding("http://dicom.nema.org/resources/ontology/DCM", "110110", "Patient Record"),
        Action = AuditEvent.AuditEventAction.R,
        Recorded = DateTimeOffset.FromUnixTimeMilliseconds(entry.Timestamp),
        Outcome = entry.Permit ? AuditEvent.AuditEventOutcome.N0 : AuditEvent.AuditEventOutcome.N4,
        OutcomeDesc = entry.Reason,
        PurposeOfEvent = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ActReason", entry.Purpose)],
        Agent =
        [
            new AuditEvent.AgentComponent
            {
                Who = new ResourceReference { Identifier = new Identifier(Ledger + "member", entry.Accessor) },
                Requestor = true,
            },
        ],
        Source = new AuditEvent.SourceComponent
        {
            Observer = new ResourceReference { Identifier = new Identifier(Ledger + "organisation", custodian) },
        },
        Entity =
        [
            new AuditEvent.EntityComponent
            {
                What = new ResourceReference { Identifier = new Identifier(Ledger + "record", entry.Record) },
            },
            new AuditEvent.EntityComponent
            {
                What = new ResourceReference { Identifier = new Identifier(Ledger + "patient", entry.Patient) },
            },
        ],
    };
}
