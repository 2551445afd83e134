using CareLedger.Contracts;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Prescriptions;
using CareLedger.Contracts.Records;

namespace CareLedger.Node.Api;

/// <summary>
/// What the ledger knows about a patient, for the patient or a delegate with the read mandate:
/// access log, record index, prescriptions, grants and delegates (<c>/api/v1/patients/{patient}/…</c>).
/// </summary>
internal static class PatientEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/patients/{patient}/accesses", (string patient, HttpContext http, LedgerNode node) =>
                ForPatient(patient, http, node, () => Accesses(node, patient)))
            .WithSummary("Who accessed the patient's records, when, why, and whether it was released")
            .Produces<IReadOnlyList<AccessEntry>>();
        api.MapGet("/patients/{patient}/records", (string patient, HttpContext http, LedgerNode node) =>
                ForPatient(patient, http, node, () => Records(node, patient)))
            .WithSummary("The patient's records: custodian, category, type, versions (no content)")
            .Produces<IReadOnlyList<RecordEntry>>();
        api.MapGet("/patients/{patient}/prescriptions", (string patient, HttpContext http, LedgerNode node) =>
                ForPatient(patient, http, node, () => PrescriptionContract.ForPatient(node.Engine.State, patient)))
            .WithSummary("The patient's prescriptions and their fills")
            .Produces<IReadOnlyList<PrescriptionRecord>>();
        api.MapGet("/patients/{patient}/grants", (string patient, HttpContext http, LedgerNode node) =>
                ForPatient(patient, http, node, () => Grants(node, patient)))
            .WithSummary("Who may see what, for which purposes, until when")
            .Produces<IReadOnlyList<ConsentGrant>>();
        api.MapGet("/patients/{patient}/delegates", (string patient, HttpContext http, LedgerNode node) =>
                ForPatient(patient, http, node, () => node.Store.ScanState($"consent/delegate/{patient}/", 1000)
                    .Select(row => StateJson.Read<Delegation>(row.Value)!).ToList()))
            .WithSummary("The patient's guardians and proxies with their mandates")
            .Produces<IReadOnlyList<Delegation>>();
    }

    /// <summary>Answers <paramref name="view"/> for the patient or a delegate with the read mandate; 403 for anyone else.</summary>
    public static IResult ForPatient<T>(string patient, HttpContext http, LedgerNode node, Func<T> view)
    {
        var allowed = AccessDecisionPoint.ActsForPatient(node.Engine.State, GateHttp.CallerOf(http), patient, "read", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        if (!allowed)
        {
            return Problems.Of(ConsentErrors.NotAuthorised, "Only the patient or a delegate with the read mandate sees this.", StatusCodes.Status403Forbidden);
        }
        var value = view();
        return value as IResult ?? Results.Ok(value);
    }

    /// <summary>Every access to the patient's records, oldest first.</summary>
    public static List<AccessEntry> Accesses(LedgerNode node, string patient) =>
        node.Store.ScanState(RecordKeys.AccessPrefix(patient), 10_000)
            .Select(row => StateJson.Read<AccessEntry>(row.Value)!).OrderBy(e => e.Timestamp).ToList();

    /// <summary>The patient's grants, in the order they were made.</summary>
    public static List<ConsentGrant> Grants(LedgerNode node, string patient) =>
        (StateJson.Read<List<GrantRef>>(node.Engine.State.Get(ConsentKeys.PatientGrants(patient))) ?? [])
            .Where(g => !g.IsDelegate)
            .Select(g => StateJson.Read<ConsentGrant>(node.Engine.State.Get(ConsentKeys.Grant(g.Id)))!)
            .ToList();

    private static List<RecordEntry> Records(LedgerNode node, string patient) =>
        StateJson.ReadIds(node.Engine.State, RecordKeys.PatientRecords(patient))
            .Select(id => StateJson.Read<RecordEntry>(node.Engine.State.Get(RecordKeys.Record(id)))!)
            .ToList();
}
