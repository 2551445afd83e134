using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CareLedger.Client;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Identity;
using CareLedger.Core.Crypto;
using CareLedger.Node.Records;

namespace CareLedger.Node.Demo;

/// <summary>
/// <c>--demo</c>: seeds a fresh node with a believable, entirely synthetic network — a hospital (the founding
/// organisation), a clinic, a manufacturer, a wholesaler, a pharmacy, a regulator, a licensing board and an
/// insurer; licensed clinicians and a pharmacist with attested employment; 50 patients with FHIR lab results,
/// consent grants, prescriptions and dispenses; a supply chain with one recalled lot; an insurance plan, twenty
/// policies and adjudicated claims (one pended for review, pharmacy claims from the dispenses); a registered trial recruiting through
/// the hospital, genomic datasets listed for research, reportable-condition reports and a privacy budget
/// (<see cref="SeedResearchAsync"/>). Every key is written to <c>demo-keys/</c> in the data directory so that anyone can sign in to the
/// portal as any of them (<c>demo-keys/README.txt</c> says who is who). No real person appears anywhere.
/// </summary>
internal sealed partial class DemoNetwork(LedgerNode node, Gatekeeper gate, Research.ResearchDesk research, Research.TrialDocumentStore trialDocuments,
    Research.GenomicsDesk genomics, ILogger<DemoNetwork> logger) : BackgroundService
{
    private const string Gtin = "09506000134352";
    private const int Patients = 50;

    private string Keys => Path.Combine(node.Data.Root, "demo-keys");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await SeedAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or IOException)
        {
            // A failed demo seed leaves a working node with what was seeded so far; it does not stop it.
            Log.DemoFailed(logger, ex);
        }
    }

    private async Task SeedAsync(CancellationToken stoppingToken)
    {
        if (node.Engine.Head.Header.Height > 0 || node.Raft is not null)
        {
            Log.DemoSkipped(logger);
            return;
        }
        Directory.CreateDirectory(Path.Combine(Keys, "patients"));
        using var founder = SigningKey.FromPem(File.ReadAllText(node.Data.AdminKeyPath));
        var who = new StringBuilder("Synthetic demo identities (no real people). Sign in to /portal with any of these key files.\n\n");

        var orgs = new[]
        {
            ("org:riverside-clinic", "Clinic"), ("org:acme-pharma", "Manufacturer"), ("org:north-wholesale", "Distributor"),
            ("org:city-pharmacy", "Pharmacy"), ("org:medicines-agency", "Regulator"), ("org:state-board", "LicensingBoard"),
            ("org:acme-health", "Insurer"),
        };
        var orgKeys = orgs.ToDictionary(o => o.Item1, o => Save(SigningKey.Generate(), o.Item1.Replace(':', '-')));
        await CommitAllAsync(founder, orgs.Select(o => ("identity.propose_organisation", Json(new()
        {
            ["organisation"] = o.Item1, ["kind"] = o.Item2, ["governing"] = false,
            ["publicKeys"] = new JsonArray(Convert.ToBase64String(orgKeys[o.Item1].PublicKey.SubjectPublicKeyInfo)),
        }))), stoppingToken);
        foreach (var (id, kind) in orgs)
        {
            who.AppendLine(CultureInfo.InvariantCulture, $"{id} ({kind}): demo-keys/{id.Replace(':', '-')}.key");
        }

        var doctor = Save(SigningKey.Generate(), "member-dr-ada");
        var nurse = Save(SigningKey.Generate(), "member-nurse-ben");
        var pharmacist = Save(SigningKey.Generate(), "member-pharmacist-cy");
        var officer = Save(SigningKey.Generate(), "member-officer-dee");
        var registrar = Save(SigningKey.Generate(), "member-registrar-eli");
        var auditor = Save(SigningKey.Generate(), "member-auditor-fay");
        await CommitAllAsync(founder,
        [
            ("identity.enrol_member", Member("member:dr-ada", [Roles.Practitioner, Roles.Clinician, Roles.Emergency], doctor)),
            ("identity.enrol_member", Member("member:nurse-ben", [Roles.Nurse], nurse)),
            ("identity.enrol_member", Member("member:officer-dee", [Roles.PrivacyOfficer, Roles.SecurityOfficer], officer)),
            ("identity.enrol_member", Member("member:registrar-eli", [Roles.Registrar], registrar)),
            ("identity.enrol_member", Member("member:auditor-fay", [Roles.Auditor], auditor)),
        ], stoppingToken);
        await CommitAllAsync(orgKeys["org:city-pharmacy"], [("identity.enrol_member", Member("member:pharmacist-cy", ["pharmacist"], pharmacist))], stoppingToken);
        // The state board licenses the staff; the hospital and the pharmacy attest their employment.
        var board = orgKeys["org:state-board"];
        var licensed = DateTimeOffset.UtcNow.AddYears(-6).ToUnixTimeMilliseconds();
        var renewal = DateTimeOffset.UtcNow.AddYears(2).ToUnixTimeMilliseconds();
        await CommitAllAsync(board, new[] { ("dr-ada", "physician", "internal_medicine"), ("nurse-ben", "nurse", "emergency_nursing"), ("pharmacist-cy", "pharmacist", "community_pharmacy") }
            .Select((s, i) => ("cred.issue", Json(new()
            {
                ["credential"] = $"cred:ma-{s.Item1}", ["subject"] = $"member:{s.Item1}", ["kind"] = "licence", ["profession"] = s.Item2, ["specialty"] = s.Item3,
                ["jurisdiction"] = "US-MA", ["number"] = $"MA-{204_118 + (i * 7_919)}", ["validFrom"] = licensed, ["validUntil"] = renewal,
            }))), stoppingToken);
        await CommitAllAsync(founder, [("cred.attest_employment", Json(new() { ["member"] = "member:dr-ada", ["role"] = "attending_physician", ["from"] = licensed })),
            ("cred.attest_employment", Json(new() { ["member"] = "member:nurse-ben", ["role"] = "staff_nurse", ["from"] = licensed }))], stoppingToken);
        await CommitAllAsync(orgKeys["org:city-pharmacy"],
            [("cred.attest_employment", Json(new() { ["member"] = "member:pharmacist-cy", ["role"] = "pharmacist_in_charge", ["from"] = licensed }))], stoppingToken);
        who.AppendLine("member:dr-ada (practitioner, clinician, emergency; org:local): demo-keys/member-dr-ada.key")
            .AppendLine("member:nurse-ben (nurse, org:local): demo-keys/member-nurse-ben.key")
            .AppendLine("member:officer-dee (privacy and security officer, org:local): demo-keys/member-officer-dee.key")
            .AppendLine("member:registrar-eli (registrar: records guardianships, org:local): demo-keys/member-registrar-eli.key")
            .AppendLine("member:auditor-fay (auditor: reads every transaction and exact statistics, org:local): demo-keys/member-auditor-fay.key")
            .AppendLine("member:pharmacist-cy (pharmacist, org:city-pharmacy): demo-keys/member-pharmacist-cy.key");

        // Patients register themselves and let Dr Ada treat them; she records two lab results each.
        var patients = Enumerable.Range(1, Patients).Select(i => Save(SigningKey.Generate(), Path.Combine("patients", $"patient-{i:00}"))).ToList();
        foreach (var batch in patients.Chunk(10))
        {
            await Task.WhenAll(batch.Select(p => CommitAsync(p, "identity.register_patient",
                Json(new() { ["publicKey"] = Convert.ToBase64String(p.PublicKey.SubjectPublicKeyInfo) }), stoppingToken)));
            await Task.WhenAll(batch.Select(p => CommitAsync(p, "consent.grant", Json(new()
            {
                ["patient"] = IdentityKeys.PatientIdFor(p.Id),
                ["grantee"] = new JsonObject { ["kind"] = "member", ["id"] = "member:dr-ada" },
                ["actions"] = new JsonArray("append", "read"),
                ["purposes"] = new JsonArray(PurposeOfUse.Treatment),
                ["expires"] = DateTimeOffset.UtcNow.AddDays(90).ToUnixTimeMilliseconds(),
            }), stoppingToken)));
        }
        var ada = Caller.Resolve(node.Engine.State, doctor.Id)!;
        var random = new Random(2026);
        for (var i = 0; i < patients.Count; i++)
        {
            var patient = IdentityKeys.PatientIdFor(patients[i].Id);
            await gate.CreateAsync(ada, patient, "laboratory", "Observation", Observation("4548-4", "Hemoglobin A1c", 4.8 + (random.NextDouble() * 3), "%"), stoppingToken);
            await gate.CreateAsync(ada, patient, "vital-signs", "Observation", Observation("8480-6", "Systolic blood pressure", 105 + random.Next(50), "mm[Hg]"), stoppingToken);
            who.AppendLine(CultureInfo.InvariantCulture, $"{patient}: demo-keys/patients/patient-{i + 1:00}.key");
        }

        // The supply chain: one product, two lots; stock at the wholesaler and the pharmacy; lot B recalled.
        var maker = orgKeys["org:acme-pharma"];
        await CommitAsync(maker, "supply.register_product", Json(new()
        {
            ["gtin"] = Gtin, ["nationalCode"] = "NDC 12345-678-90", ["name"] = "Metformin", ["strength"] = "500 mg", ["form"] = "tablet", ["packSize"] = 60L,
            ["atc"] = "A10BA02",
        }), stoppingToken);
        var expiry = DateTime.UtcNow.AddYears(2).ToString("yyMM", CultureInfo.InvariantCulture) + "00";
        await CommitAllAsync(maker,
        [
            ("supply.commission", Json(new() { ["gtin"] = Gtin, ["lot"] = "LOT-A", ["expiry"] = expiry, ["serialRange"] = new JsonObject { ["prefix"] = "A", ["start"] = 1L, ["count"] = 100L, ["width"] = 4L } })),
            ("supply.commission", Json(new() { ["gtin"] = Gtin, ["lot"] = "LOT-B", ["expiry"] = expiry, ["serialRange"] = new JsonObject { ["prefix"] = "B", ["start"] = 1L, ["count"] = 50L, ["width"] = 4L } })),
        ], stoppingToken);
        var toPharmacy = Units("A", 1, 30).Concat(Units("B", 1, 10)).ToList();
        var shipped = await CommitAsync(maker, "supply.ship", Ship("org:north-wholesale", Units("A", 1, 60).Concat(Units("B", 1, 20))), stoppingToken);
        await CommitAsync(orgKeys["org:north-wholesale"], "supply.receive", Receive(shipped, Units("A", 1, 60).Concat(Units("B", 1, 20))), stoppingToken);
        var onward = await CommitAsync(orgKeys["org:north-wholesale"], "supply.ship", Ship("org:city-pharmacy", toPharmacy), stoppingToken);
        await CommitAsync(orgKeys["org:city-pharmacy"], "supply.receive", Receive(onward, toPharmacy), stoppingToken);
        await CommitAsync(orgKeys["org:medicines-agency"], "supply.recall",
            Json(new() { ["gtin"] = Gtin, ["lot"] = "LOT-B", ["reason"] = "Nitrosamine impurity above the acceptable intake" }), stoppingToken);

        // The insurer's plan covers office visits, a lab panel and the product; the first twenty patients are enrolled; the hospital
        // claims a visit and a panel for ten of them (one panel above the review threshold waits for a claims officer).
        var insurer = orgKeys["org:acme-health"];
        await CommitAsync(insurer, "ins.publish_plan", Json(new()
        {
            ["plan"] = "plan:acme-gold", ["name"] = "Acme Gold PPO", ["currency"] = "USD", ["effectiveFrom"] = 0L, ["deductible"] = 50_000L, ["outOfPocketMax"] = 300_000L,
            ["pendAbove"] = 30_000L, ["network"] = new JsonArray("org:local", "org:riverside-clinic", "org:city-pharmacy"),
            ["benefits"] = new JsonArray(
                new JsonObject { ["code"] = "99213", ["allowed"] = 15_000L, ["outOfNetworkAllowed"] = 8_000L, ["copay"] = 2_500L },
                new JsonObject { ["code"] = "80053", ["allowed"] = 40_000L, ["payerPercent"] = 80L, ["deductibleApplies"] = true },
                new JsonObject { ["code"] = Gtin, ["allowed"] = 1_200L, ["copay"] = 500L }),
            ["exclusions"] = new JsonArray("J3490"),
        }), stoppingToken);
        await CommitAsync(insurer, "ins.fund", Json(new() { ["amount"] = 50_000_000L, ["currency"] = "USD" }), stoppingToken);
        var year = DateTimeOffset.UtcNow.AddYears(-1).ToUnixTimeMilliseconds();
        await CommitAllAsync(insurer, Enumerable.Range(0, 20).Select(i => ("ins.enrol", Json(new()
        {
            ["policy"] = $"policy:demo-{i + 1:00}", ["plan"] = "plan:acme-gold", ["patient"] = IdentityKeys.PatientIdFor(patients[i].Id), ["memberId"] = $"AG-{100_200 + i}",
            ["start"] = year, ["end"] = DateTimeOffset.UtcNow.AddYears(1).ToUnixTimeMilliseconds(),
        }))), stoppingToken);
        var visit = DateTimeOffset.UtcNow.AddDays(-3).ToUnixTimeMilliseconds();
        await CommitAllAsync(founder, Enumerable.Range(0, 10).Select(i => ("ins.submit_claim", Json(new()
        {
            ["claim"] = $"claim:demo-{i + 1:00}", ["policy"] = $"policy:demo-{i + 1:00}", ["practitioner"] = "member:dr-ada",
            ["lines"] = new JsonArray(
                new JsonObject { ["code"] = "99213", ["billed"] = 18_000L, ["serviceDate"] = visit },
                new JsonObject { ["code"] = "80053", ["billed"] = i == 0 ? 45_000L : 9_000L, ["serviceDate"] = visit }),
        }))), stoppingToken);

        // Prescriptions for the first ten patients; the pharmacy fills the first five (each fill raises its pharmacy claim).
        for (var i = 0; i < 10; i++)
        {
            await CommitAsync(doctor, "rx.prescribe", Json(new()
            {
                ["prescription"] = $"rx:demo-{i + 1:00}", ["patient"] = IdentityKeys.PatientIdFor(patients[i].Id), ["gtin"] = Gtin,
                ["packagesPerFill"] = 1L, ["refills"] = 2L, ["expires"] = DateTimeOffset.UtcNow.AddDays(60).ToUnixTimeMilliseconds(),
            }), stoppingToken);
        }
        for (var i = 0; i < 5; i++)
        {
            await CommitAsync(pharmacist, "rx.dispense", Json(new()
            {
                ["prescription"] = $"rx:demo-{i + 1:00}", ["units"] = new JsonArray($"{Gtin}/A{i + 1:0000}"),
            }), stoppingToken);
        }
        await SeedResearchAsync(founder, orgKeys, ada, patients, who, stoppingToken);
        who.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Packages: (01){Gtin}(21)A0001 … A0100 (lot LOT-A), B0001 … B0050 (lot LOT-B, recalled).");
        await File.WriteAllTextAsync(Path.Combine(Keys, "README.txt"), who.ToString(), stoppingToken);
        Log.DemoSeeded(logger, Patients, node.Engine.Head.Header.Height, Keys);
    }

    private SigningKey Save(SigningKey key, string name)
    {
        DataDirectory.WriteKey(Path.Combine(Keys, name + ".key"), key);
        return key;
    }

    private async Task<string> CommitAsync(SigningKey key, string type, JsonObject args, CancellationToken cancellationToken)
    {
        var submission = await node.SignAndSubmitAsync(new TransactionFactory(key, node.Engine.Chain), type, args, cancellationToken);
        return submission.Committed
            ? submission.Result!.TransactionId.ToString()
            : throw new InvalidOperationException($"demo: {type} was not committed: {submission.Code} {submission.Message}");
    }

    private Task CommitAllAsync(SigningKey key, IEnumerable<(string Type, JsonObject Args)> transactions, CancellationToken cancellationToken) =>
        Task.WhenAll(transactions.Select(t => CommitAsync(key, t.Type, t.Args, cancellationToken)));

    private static JsonObject Json(JsonObject value) => value;

    private static JsonObject Member(string id, string[] roles, SigningKey key) => new()
    {
        ["member"] = id, ["roles"] = new JsonArray([.. roles.Select(r => (JsonNode)r)]), ["publicKey"] = Convert.ToBase64String(key.PublicKey.SubjectPublicKeyInfo),
    };

    private static IEnumerable<string> Units(string prefix, int from, int count) =>
        Enumerable.Range(from, count).Select(i => $"{Gtin}/{prefix}{i:0000}");

    private static JsonObject Ship(string to, IEnumerable<string> units) => new()
    {
        ["to"] = to, ["units"] = new JsonArray([.. units.Select(u => (JsonNode)u)]), ["transactionInformation"] = "TI-DEMO", ["transactionStatement"] = "TS-DEMO",
    };

    private static JsonObject Receive(string shipment, IEnumerable<string> units) => new()
    {
        ["shipment"] = shipment, ["units"] = new JsonArray([.. units.Select(u => (JsonNode)u)]),
    };

    private static string Observation(string loinc, string text, double value, string unit) =>
        $$$"""{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"{{{loinc}}}"}],"text":"{{{text}}}"},"valueQuantity":{"value":{{{value.ToString("0.0", CultureInfo.InvariantCulture)}}},"unit":"{{{unit}}}"}}""";
}
