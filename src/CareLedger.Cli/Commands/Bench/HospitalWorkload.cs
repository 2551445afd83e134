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
        var claimed = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeMilliseconds();
        return operation switch
        {
            // ~300-byte notary transactions: a random salted hash, as a hospital would anchor a discharge summary.
            Notary => SignedTransactions.Sign(operation, node, transactions, batchSize, _ => Sign(hospital, "notary.anchor",
                new() { ["hash"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), ["documentType"] = "discharge-summary" })),
            // A patient grants the physician access again (a new grant id each time: the grant is the transaction).
            Consent => SignedTransactions.Sign(operation, node, transactions, batchSize, i => Sign(Need(cast).Patients[i % cast!.Patients.Count], "consent.grant",
                cast.Grant(cast.PatientIds[i % cast.Patients.Count], TimeSpan.FromHours(8)))),
            // The pharmacist fills a prescription with one package from the pharmacy's stock.
            Dispense => SignedTransactions.Sign(operation, node, transactions, batchSize, i => Sign(Need(cast).Pharmacist, "rx.dispense",
                new() { ["prescription"] = cast!.Prescriptions[i / HospitalCast.FillsPerPrescription], ["units"] = new JsonArray(cast.Packages[i]) })),
            // The hospital claims an office visit the physician gave yesterday; adjudicated and paid in the same transaction.
            Claim => SignedTransactions.Sign(operation, node, transactions, batchSize, i => Sign(hospital, "ins.submit_claim", new()
            {
                ["claim"] = $"claim:bench-{Need(cast).Tag}-{i}", ["policy"] = cast!.Policies[i % cast.Policies.Count], ["practitioner"] = cast.PhysicianId,
                ["lines"] = new JsonArray(new JsonObject { ["code"] = "99213", ["billed"] = 18_000L, ["serviceDate"] = claimed }),
            })),
            // The physician reads a patient's laboratory result: decided, access entry committed, then released.
            FhirRead => new FhirCall(operation, 200, ct => Need(cast).PhysicianApi.ReadFhirAsync("Observation", cast!.Records[Random.Shared.Next(cast.Records.Count)], ct)),
            // The physician records a laboratory result: validated, encrypted into the vault, registered on the ledger.
            FhirCreate => new FhirCall(operation, 201, ct =>
            {
                var i = Random.Shared.Next(Need(cast).PatientIds.Count);
                return cast!.PhysicianApi.CreateFhirAsync("Observation", cast.PatientIds[i], "laboratory", HospitalCast.Observation(i), ct);
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Unknown workload."),
        };
    }

    private static HospitalCast Need(HospitalCast? cast) => cast ?? throw new InvalidOperationException("This workload needs its cast enrolled first.");
}
