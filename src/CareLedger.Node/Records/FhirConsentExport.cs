using CareLedger.Contracts.Consent;
using Hl7.Fhir.Model;

namespace CareLedger.Node.Records;

/// <summary>
/// A ledger grant as a FHIR R4 <c>Consent</c>: scope patient-privacy, policy OPTIN, one permit provision
/// with the period, the grantee as actor (role IRCP, by ledger identifier), actions (read → access,
/// append → correct), purposes (v3 ActReason), resource types as class, categories as code, record ids
/// as data. Identities are referenced by pseudonymous identifier only.
/// </summary>
public static class FhirConsentExport
{
    private const string Ledger = "urn:careledger:";

    public static Hl7.Fhir.Model.Consent ToFhir(ConsentGrant grant, long now) => new()
    {
        Id = grant.Id,
        Status = grant.Status == "active" && now < grant.Expires ? Hl7.Fhir.Model.Consent.ConsentState.Active : Hl7.Fhir.Model.Consent.ConsentState.Inactive,
        Scope = new CodeableConcept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy"),
        Category = [new CodeableConcept("http://loinc.org", "59284-0", "Patient Consent")],
        Patient = new ResourceReference { Identifier = new Identifier(Ledger + "patient", grant.Patient) },
        DateTime = Iso(grant.NotBefore),
        PolicyRule = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN"),
        Provision = new Hl7.Fhir.Model.Consent.provisionComponent
        {
            Type = Hl7.Fhir.Model.Consent.ConsentProvisionType.Permit,
            Period = new Period(new FhirDateTime(Iso(grant.NotBefore)), new FhirDateTime(Iso(grant.Expires))),
            Actor =
            [
                new Hl7.Fhir.Model.Consent.provisionActorComponent
                {
                    Role = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP"),
                    Reference = new ResourceReference
                    {
                        Identifier = new Identifier(Ledger + grant.Grantee.Kind, grant.Grantee.Organisation is { } org ? $"{grant.Grantee.Id}@{org}" : grant.Grantee.Id),
                    },
                },
            ],
            Action = grant.Actions.Select(a => new CodeableConcept("http://terminology.hl7.org/CodeSystem/consentaction", a == "read" ? "access" : "correct")).ToList(),
            Purpose = grant.Purposes.Select(p => new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", p)).ToList(),
            Class = grant.ResourceTypes.Select(t => new Coding("http://hl7.org/fhir/resource-types", t)).ToList(),
            Code = grant.Categories.Select(c => new CodeableConcept(Ledger + "category", c)).ToList(),
            Data = grant.Records.Select(r => new Hl7.Fhir.Model.Consent.provisionDataComponent
            {
                Meaning = Hl7.Fhir.Model.Consent.ConsentDataMeaning.Instance,
                Reference = new ResourceReference { Identifier = new Identifier(Ledger + "record", r) },
            }).ToList(),
        },
    };

    private static string Iso(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture);
}
