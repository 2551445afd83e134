using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CareLedger.Client;
using CareLedger.Core.Encoding;
using CareLedger.Core.Ledger;

namespace CareLedger.Cli.Commands.Bench;

/// <summary>
/// The workloads <c>careledger bench --workload</c> runs: what each operation is, who signs it, and the share of each in
/// <c>mixed</c>. Ledger transactions are signed before the load; FHIR calls go through the gatekeeper as a clinician's app would.
/// </summary>
internal static class HospitalWorkload
{
    public const string Notary = "notary";
    public const string Consent = "consent";
    public const string FhirRead = "fhir-read";
    public const string FhirCreate = "fhir-create";
    public const string Dispense = "dispense";
    public const string Claim = "claim";
    public const string Mixed = "mixed";

    public static readonly string[] Names = [Notary, Consent, FhirRead, FhirCreate, Dispense, Claim, Mixed];

    /// <summary>
    /// A hospital's day in proportions (percent of calls): most calls read records, fewer record new results, and fewer still
    /// change consent, dispense or claim.
    /// </summary>
    public static readonly IReadOnlyList<(string Operation, int Percent)> MixedShares =
        [(FhirRead, 60), (FhirCreate, 15), (Consent, 10), (Dispense, 10), (Claim, 5)];

    /// <summary>The operations of <paramref name="workload"/> with their shares of the calls, in percent.</summary>
    public static IReadOnlyList<(string Operation, int Percent)> Shares(string workload) => workload == Mixed ? MixedShares : [(workload, 100)];

    /// <summary>Builds <paramref name="operation"/> with <paramref name="transactions"/> pre-signed transactions where it signs any.</summary>
    public static BenchOperation Build(string operation, CareLedgerClient node, TransactionFactory hospital, HospitalCast? cast,
        int transactions, int batchSize, TimeSpan validity)
    {
        Transaction Sign(TransactionFactory signer, string type, JsonObject args) => signer.Create(type, TransactionArgs.FromJson(args.ToJsonString()), validity);
        if (operation == Notary)
        {
            // ~300-byte notary transactions: a random salted hash, as a hospital would anchor a discharge summary.
            return SignedTransactions.Sign(operation, node, transactions, batchSize, _ => Sign(hospital, "notary.anchor",
                new() { ["hash"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), ["documentType"] = "discharge-summary" }));
        }
        var c = cast ?? throw new InvalidOperationException($"The {operation} workload needs its cast enrolled first.");
        var claimed = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeMilliseconds();
        return operation switch
        {
            // A patient grants the physician access again (a new grant id each time: the grant is the transaction).
            Consent => SignedTransactions.Sign(operation, node, transactions, batchSize, i => Sign(c.Patients[i % c.Patients.Count], "consent.grant",
                c.Grant(c.PatientIds[i % c.Patients.Count], TimeSpan.FromHours(8)))),
            // The pharmacist fills a prescription with one package from the pharmacy's stock.
            Dispense => SignedTransactions.Sign(operation, node, transactions, batchSize, i => Sign(c.Pharmacist, "rx.dispense",
                new() { ["prescription"] = c.Prescriptions[i / HospitalCast.FillsPerPrescription], ["units"] = new JsonArray(c.Packages[i]) })),
            // The hospital claims an office visit the physician gave yesterday; adjudicated and paid in the same transaction.
            Claim => SignedTransactions.Sign(operation, node, transactions, batchSize, i => Sign(hospital, "ins.submit_claim", new()
            {
                ["claim"] = $"claim:bench-{c.Tag}-{i}", ["policy"] = c.Policies[i % c.Policies.Count], ["practitioner"] = c.PhysicianId,
                ["lines"] = new JsonArray(new JsonObject { ["code"] = "99213", ["billed"] = 18_000L, ["serviceDate"] = claimed }),
            })),
            // The physician reads a patient's laboratory result: decided, access entry committed, then released.
            FhirRead => new FhirCall(operation, 200, ct => c.PhysicianApi.ReadFhirAsync("Observation", c.Records[Random.Shared.Next(c.Records.Count)], ct)),
            // The physician records a laboratory result: validated, encrypted into the vault, registered on the ledger.
            FhirCreate => new FhirCall(operation, 201, ct =>
            {
                var i = Random.Shared.Next(c.PatientIds.Count);
                return c.PhysicianApi.CreateFhirAsync("Observation", c.PatientIds[i], "laboratory", HospitalCast.Observation(i), ct);
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Unknown workload."),
        };
    }
}
