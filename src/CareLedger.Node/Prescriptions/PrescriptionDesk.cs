using System.Globalization;
using CareLedger.Contracts;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Prescriptions;
using CareLedger.Contracts.SupplyChain;
using CareLedger.Node.Records;
using Hl7.Fhir.Model;

namespace CareLedger.Node.Prescriptions;

/// <summary>
/// Prescribing and dispensing at the prescriber's or pharmacy's own node, with their FHIR records: the node writes the FHIR R4
/// MedicationRequest (or MedicationDispense) into its vault and commits the prescription (or fill) with the record's salted hash in
/// one transaction, so the ledger never holds one without the other. The contracts decide exactly as for a direct submission
/// (licence, consent, verification, fills left); a refusal shreds the vault copy.
/// </summary>
public sealed class PrescriptionDesk(LedgerNode node, Gatekeeper gate, TimeProvider clock)
{
    private const string GtinSystem = "https://www.gs1.org/gtin";
    private const string IdSystem = "https://careledger.example/id";

    /// <summary>A prescription from <paramref name="prescriber"/>, a member of this node's organisation.</summary>
    public async Task<(PrescriptionRecord? Prescription, GateResult? Refusal)> PrescribeAsync(Caller prescriber, PrescriptionOrder order, CancellationToken cancellationToken)
    {
        if (prescriber.Kind != "member" || prescriber.Organisation != gate.Custodian)
        {
            return (null, GateResult.Refused(403, PrescriptionErrors.NotAuthorised, $"Prescriptions are written at the prescriber's own organisation's node ({gate.Custodian})."));
        }
        if (Product(order.Gtin) is not { } product)
        {
            return (null, GateResult.Refused(400, PrescriptionErrors.BadPrescription, $"No product is registered under GTIN {order.Gtin}."));
        }
        var request = new MedicationRequest
        {
            Identifier = [new Identifier(IdSystem, order.Prescription)],
            Status = MedicationRequest.MedicationrequestStatus.Active,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Medication = Medication(product),
            Subject = Reference(order.Patient),
            Requester = Reference(prescriber.Id),
            AuthoredOn = Now(),
            DosageInstruction = order.Dosage is null ? [] : [new Dosage { Text = order.Dosage }],
            DispenseRequest = new MedicationRequest.DispenseRequestComponent
            {
                NumberOfRepeatsAllowed = order.Refills,
                Quantity = new Quantity(order.PackagesPerFill, "package"),
                ValidityPeriod = new Period { End = DateTimeOffset.FromUnixTimeMilliseconds(order.Expires).ToString("o", CultureInfo.InvariantCulture) },
            },
        };
        var (_, refusal) = await gate.StoreAndRegisterAsync(Gatekeeper.FhirBytes(request), Gatekeeper.FhirMediaType, saltedHash => ("rx.prescribe", new
        {
            prescription = order.Prescription,
            patient = order.Patient,
            gtin = order.Gtin,
            packagesPerFill = order.PackagesPerFill,
            refills = order.Refills,
            expires = order.Expires,
            controlled = order.Controlled,
            minRefillIntervalDays = order.MinRefillIntervalDays,
            prescriber = prescriber.Id,
            saltedHash,
        }), cancellationToken);
        return refusal is not null ? (null, refusal) : (Prescription(order.Prescription), null);
    }

    /// <summary>A fill by <paramref name="pharmacist"/>, a member of this node's (pharmacy's) organisation.</summary>
    public async Task<(PrescriptionRecord? Prescription, GateResult? Refusal)> DispenseAsync(Caller pharmacist, string prescriptionId, IReadOnlyList<string> units,
        long? price, CancellationToken cancellationToken)
    {
        if (pharmacist.Kind != "member" || pharmacist.Organisation != gate.Custodian)
        {
            return (null, GateResult.Refused(403, PrescriptionErrors.NotAuthorised, $"Dispensing is recorded at the pharmacy's own node ({gate.Custodian})."));
        }
        if (Prescription(prescriptionId) is not { } rx || Product(rx.Gtin) is not { } product)
        {
            return (null, GateResult.Refused(404, PrescriptionErrors.Unknown, $"No prescription {prescriptionId}."));
        }
        var dispense = new MedicationDispense
        {
            Identifier = [.. units.Select(u => new Identifier(GtinSystem + "/serial", u))],
            Status = MedicationDispense.MedicationDispenseStatusCodes.Completed,
            Medication = Medication(product),
            Subject = Reference(rx.Patient),
            Performer = [new MedicationDispense.PerformerComponent { Actor = Reference(pharmacist.Id) }],
            AuthorizingPrescription = [new ResourceReference { Identifier = new Identifier(IdSystem, rx.Id) }],
            Quantity = new Quantity(units.Count, "package"),
            WhenHandedOver = Now(),
        };
        var (_, refusal) = await gate.StoreAndRegisterAsync(Gatekeeper.FhirBytes(dispense), Gatekeeper.FhirMediaType, saltedHash => ("rx.dispense", new
        {
            prescription = rx.Id,
            units,
            pharmacist = pharmacist.Id,
            price,
            saltedHash,
        }), cancellationToken);
        return refusal is not null ? (null, refusal) : (Prescription(rx.Id), null);
    }

    private PrescriptionRecord? Prescription(string id) => StateJson.Read<PrescriptionRecord>(node.Engine.State.Get(PrescriptionContract.Key(id)));

    private ProductRecord? Product(string gtin) => StateJson.Read<ProductRecord>(node.Engine.State.Get(SupplyKeys.Product(gtin)));

    private static CodeableConcept Medication(ProductRecord product) =>
        new(GtinSystem, product.Gtin, $"{product.Name} {product.Strength} {product.Form}, pack of {product.PackSize.ToString(CultureInfo.InvariantCulture)}");

    // Patients and staff are named by their pseudonymous ledger ids, never by demographics.
    private static ResourceReference Reference(string id) => new() { Identifier = new Identifier(IdSystem, id) };

    private string Now() => clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>What a prescriber orders: the prescription id, patient, product, packages per fill, refills, expiry, and the directions.</summary>
public sealed record PrescriptionOrder(string Prescription, string Patient, string Gtin, int PackagesPerFill, int Refills, long Expires,
    bool Controlled = false, int MinRefillIntervalDays = 0, string? Dosage = null);

/// <summary>A fill: the packages handed over (gtin/serial) and the price per package in minor units.</summary>
public sealed record DispenseOrder(IReadOnlyList<string> Units, long? Price = null);
