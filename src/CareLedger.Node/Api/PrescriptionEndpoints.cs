using CareLedger.Contracts;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Identity;
using CareLedger.Contracts.Prescriptions;
using CareLedger.Node.Prescriptions;

namespace CareLedger.Node.Api;

/// <summary>
/// Prescriptions as the ledger holds them (a patient's own list is under /patients/{patient}/prescriptions), and prescribing and
/// dispensing at the prescriber's or pharmacy's node with the FHIR MedicationRequest and MedicationDispense kept in its vault.
/// </summary>
internal static class PrescriptionEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/prescriptions/{id}", Prescription)
            .WithSummary("A prescription's state and fills: for the patient (or a delegate with read), the prescriber, and pharmacies")
            .Produces<PrescriptionRecord>();
        api.MapPost("/prescriptions", async (PrescriptionOrder order, HttpContext http, PrescriptionDesk desk, CancellationToken ct) =>
                Answer(await desk.PrescribeAsync(GateHttp.CallerOf(http), order, ct)))
            .WithSummary("Prescribe (a practitioner of this node's organisation): the FHIR MedicationRequest goes into the vault and the prescription onto the ledger in one transaction")
            .Produces<PrescriptionRecord>();
        api.MapPost("/prescriptions/{id}/dispense", async (string id, DispenseOrder order, HttpContext http, PrescriptionDesk desk, CancellationToken ct) =>
                Answer(await desk.DispenseAsync(GateHttp.CallerOf(http), id, order.Units, order.Price, ct)))
            .WithSummary("Dispense (a pharmacist of this node's organisation): the fill and the FHIR MedicationDispense in the vault, in one transaction")
            .Produces<PrescriptionRecord>();
    }

    private static IResult Answer((PrescriptionRecord? Prescription, Records.GateResult? Refusal) outcome) =>
        outcome.Refusal is { } refusal ? GateHttp.Problem(refusal) : Results.Ok(outcome.Prescription);

    // The patient (or a delegate with read), the prescriber, and any pharmacy (which must see a prescription to fill it).
    private static IResult Prescription(string id, HttpContext http, LedgerNode node)
    {
        if (StateJson.Read<PrescriptionRecord>(node.Engine.State.Get(PrescriptionContract.Key(id))) is not { } rx)
        {
            return Problems.NotFound($"Prescription {id}");
        }
        var caller = GateHttp.CallerOf(http);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var pharmacy = OrganisationKinds.Of(node.Engine.State, caller.Organisation) == "Pharmacy";
        return caller.Id == rx.Prescriber || (caller.Kind != "patient" && pharmacy)
               || AccessDecisionPoint.ActsForPatient(node.Engine.State, caller, rx.Patient, "read", now)
            ? Results.Ok(rx)
            : Problems.Of("rx.not_authorised", "Only the patient, the prescriber or a pharmacy reads a prescription.", StatusCodes.Status403Forbidden);
    }
}
