using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using CareLedger.Client;
using CareLedger.Contracts.Identity;
using CareLedger.Contracts.SupplyChain;
using CareLedger.Core.Crypto;
using CareLedger.Core.Encoding;
using CareLedger.Core.Ledger;

namespace CareLedger.Cli.Commands.Bench;

/// <summary>
/// The synthetic people and standing data a hospital workload needs, enrolled through the node's own contracts with the
/// organisation key (a governing organisation, the hospital): a licensing board, a pharmacy, a manufacturer and an insurer;
/// a licensed physician employed by the hospital and a licensed pharmacist at the pharmacy; patients who registered
/// themselves, granted the physician treatment access and have one laboratory result each; and, when asked for, packages in
/// the pharmacy's stock with prescriptions to fill them, and insurance policies for claims. Every identifier carries a
/// random run tag, so a bench can run again against the same ledger. No real person: keys are generated, records synthetic.
/// </summary>
internal sealed class HospitalCast : IDisposable
{
    /// <summary>Fills per prescription: one and the contract's maximum of twelve refills.</summary>
    public const int FillsPerPrescription = 13;

    private const int SetupBatch = 500;

    private HospitalCast(string tag, TransactionFactory hospital, SigningKey physician, SigningKey pharmacist, SigningKey[] patients)
    {
        Tag = tag;
        Hospital = hospital;
        Physician = new TransactionFactory(physician, hospital.Chain);
        Pharmacist = new TransactionFactory(pharmacist, hospital.Chain);
        Patients = [.. patients.Select(p => new TransactionFactory(p, hospital.Chain))];
        PatientIds = [.. patients.Select(p => IdentityKeys.PatientIdFor(p.Id))];
    }

    /// <summary>The run tag in every identifier (12 hex digits).</summary>
    public string Tag { get; }

    /// <summary>The hospital: the organisation key the bench was given.</summary>
    public TransactionFactory Hospital { get; }

    public TransactionFactory Physician { get; }

    public string PhysicianId => $"member:bench-physician-{Tag}";

    public TransactionFactory Pharmacist { get; }

    public IReadOnlyList<TransactionFactory> Patients { get; }

    public IReadOnlyList<string> PatientIds { get; }

    /// <summary>One laboratory result per patient, created through the gatekeeper: what reads read.</summary>
    public IReadOnlyList<string> Records { get; private set; } = [];

    /// <summary>Package references (<c>gtin/serial</c>) in the pharmacy's stock, one per dispense.</summary>
    public IReadOnlyList<string> Packages { get; private set; } = [];

    /// <summary>Prescriptions for the packages, <see cref="FillsPerPrescription"/> fills each.</summary>
    public IReadOnlyList<string> Prescriptions { get; private set; } = [];

    /// <summary>One insurance policy per patient, same order as <see cref="PatientIds"/>, or none.</summary>
    public IReadOnlyList<string> Policies { get; private set; } = [];

    /// <summary>
    /// Enrols the cast through <paramref name="node"/>: <paramref name="patients"/> patients, <paramref name="packages"/> packages in
    /// stock (and their prescriptions), and policies when <paramref name="insured"/>. Throws <see cref="CareLedgerException"/> naming
    /// the transaction the node did not commit.
    /// </summary>
    public static async Task<HospitalCast> EnrolAsync(CareLedgerClient node, HttpClient http, TransactionFactory hospital, int patients, int packages,
        bool insured, CancellationToken cancellationToken)
    {
        var tag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var cast = new HospitalCast(tag, hospital, SigningKey.Generate(), SigningKey.Generate(), [.. Enumerable.Range(0, patients).Select(_ => SigningKey.Generate())]);
        try
        {
            await cast.EnrolAsync(node, http, packages, insured, cancellationToken);
            return cast;
        }
        catch
        {
            cast.Dispose();
            throw;
        }
    }

    private async Task EnrolAsync(CareLedgerClient node, HttpClient http, int packages, bool insured, CancellationToken cancellationToken)
    {
        PhysicianApi = new CareLedgerClient(http, Physician.Key, Hospital.Chain);
        Task Commit(IEnumerable<Transaction> transactions) => CommitAllAsync(node, transactions, cancellationToken);
        using var boardKey = SigningKey.Generate();
        using var pharmacyKey = SigningKey.Generate();
        using var makerKey = SigningKey.Generate();
        using var insurerKey = SigningKey.Generate();
        var (board, pharmacy, maker, insurer) = (Factory(boardKey), Factory(pharmacyKey), Factory(makerKey), Factory(insurerKey));
        var (boardId, pharmacyId, makerId, insurerId) = ($"org:bench-board-{Tag}", $"org:bench-pharmacy-{Tag}", $"org:bench-maker-{Tag}", $"org:bench-insurer-{Tag}");
        var pharmacistId = $"member:bench-pharmacist-{Tag}";

        await Commit(new[] { (boardId, "LicensingBoard", boardKey), (pharmacyId, "Pharmacy", pharmacyKey), (makerId, "Manufacturer", makerKey), (insurerId, "Insurer", insurerKey) }
            .Select(o => Hospital.Create("identity.propose_organisation", Args(new() { ["organisation"] = o.Item1, ["kind"] = o.Item2, ["governing"] = false, ["publicKeys"] = new JsonArray(KeyOf(o.Item3)) }))));
        await Commit([
            Hospital.Create("identity.enrol_member", Args(new() { ["member"] = PhysicianId, ["roles"] = new JsonArray(Roles.Practitioner, Roles.Clinician), ["publicKey"] = KeyOf(Physician.Key) })),
            pharmacy.Create("identity.enrol_member", Args(new() { ["member"] = pharmacistId, ["roles"] = new JsonArray(Roles.Pharmacist), ["publicKey"] = KeyOf(Pharmacist.Key) })),
        ]);
        var licensed = DateTimeOffset.UtcNow.AddYears(-5).ToUnixTimeMilliseconds();
        await Commit([
            board.Create("cred.issue", Licence($"cred:bench-physician-{Tag}", PhysicianId, "physician", licensed)),
            board.Create("cred.issue", Licence($"cred:bench-pharmacist-{Tag}", pharmacistId, "pharmacist", licensed)),
            Hospital.Create("cred.attest_employment", Args(new() { ["member"] = PhysicianId, ["role"] = "attending_physician", ["from"] = licensed })),
            pharmacy.Create("cred.attest_employment", Args(new() { ["member"] = pharmacistId, ["role"] = "pharmacist_in_charge", ["from"] = licensed })),
        ]);

        await Commit(Patients.Select(p => p.Create("identity.register_patient", Args(new() { ["publicKey"] = KeyOf(p.Key) }))));
        await Commit(Patients.Select((p, i) => p.Create("consent.grant", Args(Grant(PatientIds[i], TimeSpan.FromDays(1))))));
        Records = await CreateRecordsAsync(cancellationToken);

        if (packages > 0)
        {
            await StockAsync(node, maker, pharmacy, pharmacyId, packages, cancellationToken);
        }
        if (insured)
        {
            var hospitalId = (await node.GetJsonAsync<JsonElement>($"api/v1/practitioners/{PhysicianId}", cancellationToken)).GetProperty("organisation").GetString()!;
            var planId = $"plan:bench-{Tag}";
            await Commit([
                insurer.Create("ins.publish_plan", Args(new()
                {
                    ["plan"] = planId, ["name"] = "Bench PPO", ["currency"] = "USD", ["effectiveFrom"] = 0L, ["deductible"] = 0L, ["outOfPocketMax"] = 1_000_000_000L,
                    ["pendAbove"] = 1_000_000L, ["network"] = new JsonArray(hospitalId),
                    ["benefits"] = new JsonArray(new JsonObject { ["code"] = "99213", ["allowed"] = 15_000L, ["outOfNetworkAllowed"] = 8_000L, ["copay"] = 2_500L }),
                })),
                insurer.Create("ins.fund", Args(new() { ["amount"] = 1_000_000_000_000L, ["currency"] = "USD" })),
            ]);
            var (start, end) = (DateTimeOffset.UtcNow.AddYears(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddYears(1).ToUnixTimeMilliseconds());
            Policies = [.. PatientIds.Select((_, i) => $"policy:bench-{Tag}-{i}")];
            await Commit(PatientIds.Select((p, i) => insurer.Create("ins.enrol", Args(new()
            {
                ["policy"] = Policies[i], ["plan"] = planId, ["patient"] = p, ["memberId"] = $"B{Tag[..6]}-{i}", ["start"] = start, ["end"] = end,
            }))));
        }

        TransactionFactory Factory(SigningKey key) => new(key, Hospital.Chain);
    }

    /// <summary>The consent a patient gives the physician: read and append, for treatment, for <paramref name="lasting"/>.</summary>
    public JsonObject Grant(string patient, TimeSpan lasting) => new()
    {
        ["patient"] = patient, ["grantee"] = new JsonObject { ["kind"] = "member", ["id"] = PhysicianId },
        ["actions"] = new JsonArray("read", "append"), ["purposes"] = new JsonArray("TREAT"),
        ["expires"] = DateTimeOffset.UtcNow.Add(lasting).ToUnixTimeMilliseconds(),
    };

    /// <summary>A synthetic laboratory result (a potassium level), as the physician records it.</summary>
    public static string Observation(int i) =>
        $$$"""{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2823-3"}]},"valueQuantity":{"value":{{{(3.5 + (i % 15 / 10.0)).ToString("0.0", CultureInfo.InvariantCulture)}}},"unit":"mmol/L"}}""";

    /// <summary>The physician's client for the FHIR gatekeeper (its bearer tokens are the physician's).</summary>
    public CareLedgerClient PhysicianApi { get; private set; } = null!;

    public void Dispose()
    {
        Physician.Key.Dispose();
        Pharmacist.Key.Dispose();
        foreach (var patient in Patients)
        {
            patient.Key.Dispose();
        }
    }

    private async Task<IReadOnlyList<string>> CreateRecordsAsync(CancellationToken cancellationToken)
    {
        var records = new string[PatientIds.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, records.Length), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var (status, body) = await PhysicianApi.CreateFhirAsync("Observation", PatientIds[i], "laboratory", Observation(i), ct);
            records[i] = status == 201
                ? JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!
                : throw new CareLedgerException("bench.setup", $"FHIR create for {PatientIds[i]} answered {status}: {body}", status);
        });
        return records;
    }

    // The manufacturer registers a product and commissions the packages, ships them to the pharmacy in parts, which receives
    // them; the physician writes the prescriptions that will fill them, spread over the patients.
    private async Task StockAsync(CareLedgerClient node, TransactionFactory maker, TransactionFactory pharmacy, string pharmacyId, int packages,
        CancellationToken cancellationToken)
    {
        var digits = string.Concat(Tag[..12].Select(c => (char)('0' + (Convert.ToInt32(c.ToString(), 16) % 10))));
        var gtin = "0" + digits + Gs1.CheckDigit("0" + digits).ToString(CultureInfo.InvariantCulture);
        var expiry = DateTime.UtcNow.AddYears(2).ToString("yyMM", CultureInfo.InvariantCulture) + "00";
        await CommitAllAsync(node, [maker.Create("supply.register_product", Args(new()
        {
            ["gtin"] = gtin, ["nationalCode"] = "NDC 00000-000-00", ["name"] = "Bench tablets", ["strength"] = "500 mg", ["form"] = "tablet", ["packSize"] = 30L,
        }))], cancellationToken);
        const int PerCommission = 100_000;
        await CommitAllAsync(node, Enumerable.Range(0, (packages + PerCommission - 1) / PerCommission).Select(k => maker.Create("supply.commission", Args(new()
        {
            ["gtin"] = gtin, ["lot"] = "BENCH", ["expiry"] = expiry,
            ["serialRange"] = new JsonObject { ["prefix"] = "S", ["start"] = 1L + ((long)k * PerCommission), ["count"] = (long)Math.Min(PerCommission, packages - (k * PerCommission)), ["width"] = 7L },
        }))), cancellationToken);
        Packages = [.. Enumerable.Range(1, packages).Select(i => $"{gtin}/S{i:0000000}")];
        // A transaction is at most 64 KiB: 2,000 package references to a shipment.
        var parts = Packages.Chunk(2_000).ToList();
        var shipments = parts.Select(part => maker.Create("supply.ship",
            Args(new() { ["to"] = pharmacyId, ["units"] = Strings(part), ["transactionInformation"] = "TI-BENCH", ["transactionStatement"] = "TS-BENCH" }))).ToList();
        await CommitAllAsync(node, shipments, cancellationToken);
        await CommitAllAsync(node, parts.Select((part, i) => pharmacy.Create("supply.receive", Args(new() { ["shipment"] = shipments[i].Id.ToString(), ["units"] = Strings(part) }))),
            cancellationToken);
        var expires = DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeMilliseconds();
        Prescriptions = [.. Enumerable.Range(0, (packages + FillsPerPrescription - 1) / FillsPerPrescription).Select(i => $"rx:bench-{Tag}-{i}")];
        await CommitAllAsync(node, Prescriptions.Select((rx, i) => Physician.Create("rx.prescribe", Args(new()
        {
            ["prescription"] = rx, ["patient"] = PatientIds[i % PatientIds.Count], ["gtin"] = gtin, ["packagesPerFill"] = 1L, ["refills"] = FillsPerPrescription - 1L, ["expires"] = expires,
        }))), cancellationToken);
    }

    private static async Task CommitAllAsync(CareLedgerClient node, IEnumerable<Transaction> transactions, CancellationToken cancellationToken)
    {
        foreach (var batch in transactions.Chunk(SetupBatch))
        {
            var answer = await node.SubmitBatchAsync(batch, TimeSpan.FromSeconds(60), cancellationToken);
            if (answer.Results.FirstOrDefault(r => r.Status != "committed") is { } refused)
            {
                throw new CareLedgerException(refused.Code ?? "bench.setup", $"Setting up the bench: {refused.Code}: {refused.Message}", 400);
            }
        }
    }

    private static TransactionArgs Args(JsonObject args) => TransactionArgs.FromJson(args.ToJsonString());

    private static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(v => (JsonNode)v)];

    private static string KeyOf(SigningKey key) => Convert.ToBase64String(key.PublicKey.SubjectPublicKeyInfo);

    private static TransactionArgs Licence(string id, string member, string profession, long from) => Args(new()
    {
        ["credential"] = id, ["subject"] = member, ["kind"] = "licence", ["profession"] = profession, ["jurisdiction"] = "US-MA", ["number"] = $"MA-{id[^12..]}",
        ["validFrom"] = from, ["validUntil"] = DateTimeOffset.UtcNow.AddYears(2).ToUnixTimeMilliseconds(),
    });
}
