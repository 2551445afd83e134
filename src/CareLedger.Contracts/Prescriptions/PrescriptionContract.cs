using System.Globalization;
using System.Text.RegularExpressions;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Credentials;
using CareLedger.Contracts.Identity;
using CareLedger.Contracts.Insurance;
using CareLedger.Contracts.Records;
using CareLedger.Contracts.SupplyChain;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.Prescriptions;

/// <summary>
/// Prescriptions and dispensing. A practitioner prescribes for a patient who granted them treatment access;
/// a pharmacy fills it only as written (that product, that number of packages per fill, within its refills
/// and validity, not early for a controlled substance), each package verified and dispensed from the
/// pharmacy's own stock. A prescription is filled at most 1 + refills times; it can be cancelled.
/// </summary>
public sealed partial class PrescriptionContract : IContract
{

    [GeneratedRegex("^rx:[a-z0-9._-]{1,61}$")]
    private static partial Regex IdPattern();

    public string Name => "rx";

    public bool Handles(string action) => action is "prescribe" or "dispense" or "cancel";

    /// <summary>The state key of a prescription.</summary>
    public static string Key(string id) => $"rx/prescription/{id}";

    /// <summary>The state key of a patient's prescription ids (newest last).</summary>
    public static string OfPatient(string patient) => $"rx/of/{patient}";

    /// <summary>A patient's prescriptions.</summary>
    public static IReadOnlyList<PrescriptionRecord> ForPatient(IStateReader state, string patient) =>
        StateJson.ReadIds(state, OfPatient(patient))
            .Select(id => StateJson.Read<PrescriptionRecord>(state.Get(Key(id)))!).ToList();

    public void Execute(ContractCall call)
    {
        var caller = Caller.Resolve(call.State, call.Transaction.Signer)
            ?? throw ContractCall.Reject(PrescriptionErrors.NotAuthorised, "The signer is not an active identity.");
        switch (call.Action)
        {
            case "prescribe": Prescribe(call, caller); break;
            case "dispense": Dispense(call, caller); break;
            case "cancel": Cancel(call, caller); break;
        }
    }

    /// <summary>
    /// <c>rx.prescribe {prescription, patient, gtin, packagesPerFill, refills, expires, controlled?, minRefillIntervalDays?, record? | saltedHash?,
    /// prescriber?}</c>, by a member with the practitioner role and an active prescriber licence (and, for a controlled substance, an
    /// active controlled-substance registration) whom the patient granted append access for treatment — signing, or named as
    /// <c>prescriber</c> when their organisation's key (its node) signs. With <c>saltedHash</c> the FHIR MedicationRequest the node put in
    /// its vault is registered as the patient's record in the same step.
    /// </summary>
    private static void Prescribe(ContractCall call, Caller signer)
    {
        var caller = signer.ActingFor(call.State, call.Args.GetOptionalString("prescriber"))
            ?? throw ContractCall.Reject(PrescriptionErrors.NotAuthorised, $"{call.Args.GetString("prescriber")} is not an active member of {signer.Organisation}.");
        if (caller.Kind != "member" || !caller.Roles.Contains(Roles.Practitioner))
        {
            throw ContractCall.Reject(PrescriptionErrors.NotAuthorised, "Only a practitioner prescribes.");
        }
        var controlled = call.Args.Has("controlled") && call.Args.GetBoolean("controlled");
        Licensing.RequirePrescriber(call, caller.Id, controlled);
        var id = call.Args.GetString("prescription");
        var patient = call.Args.GetString("patient");
        var gtin = call.Args.GetString("gtin");
        var perFill = call.Args.GetInt64("packagesPerFill");
        var refills = call.Args.GetInt64("refills");
        var expires = call.Args.GetInt64("expires");
        if (!IdPattern().IsMatch(id) || !Gs1.IsValidGtin(gtin) || perFill is < 1 or > 100 || refills is < 0 or > 12 || expires <= call.Block.Timestamp)
        {
            throw ContractCall.Reject(PrescriptionErrors.BadPrescription,
                "prescription is rx:…, gtin a GTIN-14, 1-100 packages per fill, 0-12 refills, expires in the future.");
        }
        if (call.State.Get(SupplyKeys.Product(gtin)) is null)
        {
            throw ContractCall.Reject(PrescriptionErrors.BadPrescription, $"No product is registered under GTIN {gtin}.");
        }
        if (call.State.Get(Key(id)) is not null)
        {
            throw ContractCall.Reject(PrescriptionErrors.Exists, $"Prescription {id} exists.");
        }
        if (call.State.Get(IdentityKeys.Patient(patient)) is null)
        {
            throw ContractCall.Reject(PrescriptionErrors.BadPrescription, $"No patient {patient}.");
        }
        var decision = AccessDecisionPoint.Decide(call.State,
            new AccessRequest(caller, patient, new RecordRef(id, "medication", "MedicationRequest"), "append", PurposeOfUse.Treatment, call.Block.Timestamp));
        if (!decision.Permit)
        {
            throw ContractCall.Reject(decision.Reason, $"{patient} has not granted {caller.Id} treatment access ({decision.Reason}).");
        }
        var interval = TimeSpan.FromDays(call.Args.GetInt64OrDefault("minRefillIntervalDays", 0));
        var record = call.Args.GetOptionalString("saltedHash") is { } hash
            ? RecordsContract.RegisterFor(call, patient, caller.Organisation, caller.Id, "medication", "MedicationRequest", hash)
            : call.Args.GetOptionalString("record");
        var prescription = new PrescriptionRecord(id, patient, caller.Id, caller.Organisation, gtin, (int)perFill, (int)refills, expires, controlled,
            (long)interval.TotalMilliseconds, record, [], "active", null, call.Block.Timestamp);
        call.State.Put(Key(id), StateJson.Write(prescription));
        StateJson.AppendId(call.State, OfPatient(patient), id);
        call.Emit("rx.prescribed", ("prescription", id), ("patient", patient), ("prescriber", caller.Id), ("grant", decision.GrantId ?? decision.Reason));
    }

    /// <summary>
    /// <c>rx.dispense {prescription, units: ["gtin/serial", …], pharmacist?, price?, saltedHash?}</c>, by a pharmacist with an active
    /// licence (signing themselves, or named as <c>pharmacist</c> when the pharmacy's key signs): as written, every
    /// package verifying and in the pharmacy's stock. When the patient's insurance covers the product, the pharmacy
    /// claim (at <c>price</c> per package, in minor units, or the plan's rate) is raised and adjudicated in the same step.
    /// </summary>
    private static void Dispense(ContractCall call, Caller caller)
    {
        if (caller.Kind == "patient" || OrganisationKinds.Of(call.State, caller.Organisation) is not ("Pharmacy" or "Hospital"))
        {
            throw ContractCall.Reject(PrescriptionErrors.NotAuthorised, "Only a pharmacy (or a hospital pharmacy) dispenses.");
        }
        var pharmacist = caller.ActingFor(call.State, call.Args.GetOptionalString("pharmacist")) is { Kind: "member" } acting ? acting.Id
            : throw ContractCall.Reject(PrescriptionErrors.NotAuthorised, $"Name the dispensing pharmacist, an active member of {caller.Organisation}.");
        Licensing.RequirePharmacist(call, pharmacist);
        var price = call.Args.GetInt64OrDefault("price", 0);
        if (price < 0)
        {
            throw ContractCall.Reject(PrescriptionErrors.BadPrescription, "price is the pharmacy's price per package in minor units.");
        }
        var id = call.Args.GetString("prescription");
        var rx = StateJson.Read<PrescriptionRecord>(call.State.Get(Key(id)))
            ?? throw ContractCall.Reject(PrescriptionErrors.Unknown, $"No prescription {id}.");
        if (rx.Status != "active")
        {
            throw ContractCall.Reject(rx.Status == "completed" ? PrescriptionErrors.FullyDispensed : PrescriptionErrors.NotActive,
                $"Prescription {id} is {rx.Status}.");
        }
        if (call.Block.Timestamp > rx.Expires)
        {
            throw ContractCall.Reject(PrescriptionErrors.Expired, $"Prescription {id} expired.");
        }
        if (rx.Controlled && rx.Fills.Count > 0 && call.Block.Timestamp - rx.Fills[^1].Time < rx.MinRefillIntervalMs)
        {
            var next = DateTimeOffset.FromUnixTimeMilliseconds(rx.Fills[^1].Time + rx.MinRefillIntervalMs);
            throw ContractCall.Reject(PrescriptionErrors.TooEarly, $"A controlled substance: the next fill is allowed from {next:yyyy-MM-dd HH:mm} UTC.");
        }
        var units = call.Args.GetStringArray("units");
        if (units.Count != rx.PackagesPerFill || units.Distinct(StringComparer.Ordinal).Count() != units.Count)
        {
            throw ContractCall.Reject(PrescriptionErrors.WrongQuantity, $"Prescription {id} is for {rx.PackagesPerFill} package(s) per fill; {units.Count} given.");
        }
        foreach (var reference in units)
        {
            var slash = reference.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || reference[..slash] != rx.Gtin)
            {
                throw ContractCall.Reject(PrescriptionErrors.WrongProduct, $"{reference} is not the prescribed product {rx.Gtin}.");
            }
            SupplyChainContract.DispenseUnit(call, caller.Organisation, rx.Gtin, reference[(slash + 1)..], id);
        }
        // Filling the prescription authorises the pharmacy to record the dispense (FHIR MedicationDispense in its vault) for the patient.
        var dispenseRecord = call.Args.GetOptionalString("saltedHash") is { } hash
            ? RecordsContract.RegisterFor(call, rx.Patient, caller.Organisation, pharmacist, "medication", "MedicationDispense", hash)
            : null;
        var fills = rx.Fills.Append(new Fill(caller.Organisation, pharmacist, call.Transaction.Id.ToString(), call.Block.Timestamp, units, dispenseRecord)).ToList();
        call.State.Put(Key(id), StateJson.Write(rx with { Fills = fills, Status = fills.Count > rx.Refills ? "completed" : "active" }));
        call.Emit("rx.dispensed", ("prescription", id), ("patient", rx.Patient), ("pharmacy", caller.Organisation),
            ("fill", fills.Count.ToString(CultureInfo.InvariantCulture)));
        InsuranceContract.RaisePharmacyClaim(call, id, rx.Patient, caller.Organisation, pharmacist, rx.Gtin, units.Count, price > 0 ? price : null);
    }

    /// <summary><c>rx.cancel {prescription, reason}</c>, by the prescriber or the patient.</summary>
    private static void Cancel(ContractCall call, Caller caller)
    {
        var id = call.Args.GetString("prescription");
        var rx = StateJson.Read<PrescriptionRecord>(call.State.Get(Key(id)))
            ?? throw ContractCall.Reject(PrescriptionErrors.Unknown, $"No prescription {id}.");
        if (caller.Id != rx.Prescriber && caller.Id != rx.Patient)
        {
            throw ContractCall.Reject(PrescriptionErrors.NotAuthorised, "Only the prescriber or the patient cancels a prescription.");
        }
        if (rx.Status != "active")
        {
            throw ContractCall.Reject(PrescriptionErrors.NotActive, $"Prescription {id} is {rx.Status}.");
        }
        call.State.Put(Key(id), StateJson.Write(rx with { Status = "cancelled", CancelReason = call.Args.GetOptionalString("reason") }));
        call.Emit("rx.cancelled", ("prescription", id), ("by", caller.Id));
    }
}
