using System.Diagnostics;
using System.Globalization;
using CareLedger.Contracts.Identity;
using CareLedger.Contracts.Insurance;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Testing;

namespace CareLedger.Benchmarks;

/// <summary>
/// Issue 5's measures on a SQLite file: adjudicated 10-line claims per second (signed, verified, adjudicated, paid and
/// committed, in blocks of 500) and the p99 of a real-time eligibility check:
/// <c>dotnet run -c Release --project benchmarks/CareLedger.Benchmarks -- insurance</c>.
/// </summary>
public static class InsuranceThroughput
{
    private const long Day = 86_400_000;
    private static readonly string[] Codes = ["99202", "99203", "99212", "99213", "99214", "80053", "85025", "81001", "93000", "71046"];

    public static void Run(int patients = 2_000, int claims = 10_000, int perBlock = 500, int samples = 200_000)
    {
        using var chain = TestChain.OnDisk();
        using var insurer = SigningKey.Generate();
        using var board = SigningKey.Generate();
        using var doctor = SigningKey.Generate();
        var hospital = chain.OrgKeys[0];
        CommitAll(chain, perBlock,
        [
            chain.Sign(hospital, "identity.propose_organisation", Organisation("org:acme-health", "Insurer", insurer)),
            chain.Sign(hospital, "identity.propose_organisation", Organisation("org:state-board", "LicensingBoard", board)),
            chain.Sign(hospital, "identity.enrol_member", $$"""{"member":"member:dr-bench","roles":["practitioner"],"publicKey":"{{Convert.ToBase64String(doctor.PublicKey.SubjectPublicKeyInfo)}}"}"""),
        ]);
        var benefits = string.Join(",", Codes.Select((c, i) => i % 2 == 0
            ? $$"""{"code":"{{c}}","allowed":{{10_000 + (i * 1_000)}},"copay":2000}"""
            : $$"""{"code":"{{c}}","allowed":{{5_000 + (i * 500)}},"payerPercent":80,"deductibleApplies":true}"""));
        CommitAll(chain, perBlock,
        [
            chain.Sign(board, "cred.issue", """{"credential":"cred:bench","subject":"member:dr-bench","kind":"licence","profession":"physician","jurisdiction":"US-MA","number":"B-1","validFrom":0,"validUntil":4102444800000}"""),
            chain.Sign(insurer, "ins.publish_plan",
                $$"""{"plan":"plan:bench","name":"Bench","currency":"USD","effectiveFrom":0,"deductible":50000,"outOfPocketMax":500000,"network":["org:founder-0"],"benefits":[{{benefits}}]}"""),
            chain.Sign(insurer, "ins.fund", """{"amount":100000000000,"currency":"USD"}"""),
        ]);
        var keys = Enumerable.Range(0, patients).Select(_ => SigningKey.Generate()).ToList();
        var ids = keys.Select(k => IdentityKeys.PatientIdFor(k.Id)).ToList();
        CommitAll(chain, perBlock, keys.Select(k => chain.Sign(k, "identity.register_patient", $$"""{"publicKey":"{{Convert.ToBase64String(k.PublicKey.SubjectPublicKeyInfo)}}"}""")).ToList());
        CommitAll(chain, perBlock, ids.Select((p, i) => chain.Sign(insurer, "ins.enrol",
            $$"""{"policy":"policy:b{{i}}","plan":"plan:bench","patient":"{{p}}","memberId":"M{{i}}","start":0,"end":4102444800000}""")).ToList());

        // Each claim: one patient, ten codes on one date of service; dates differ per claim, so nothing is a duplicate.
        var submissions = Enumerable.Range(0, claims).Select(i => chain.Sign(hospital, "ins.submit_claim",
            $$"""{"claim":"claim:b{{i}}","policy":"policy:b{{i % patients}}","practitioner":"member:dr-bench","lines":[{{string.Join(",", Codes.Select(c =>
                $$"""{"code":"{{c}}","billed":20000,"serviceDate":{{chain.Now - ((1 + (i / patients)) * Day)}}}"""))}}]}""", notAfter: chain.Now + (3_600 * 1000))).ToList();
        var started = Stopwatch.GetTimestamp();
        CommitAll(chain, perBlock, submissions);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"adjudicated {claims:N0} claims of 10 lines in {seconds:F1} s: {claims / seconds:N0} claims/s ({claims * 10 / seconds:N0} lines/s), blocks of {perBlock}"));

        var random = new Random(5);
        var state = chain.Engine.State;
        var eligibility = SupplyChainPercentiles.Measure(samples, () =>
        {
            if (!Eligibility.Check(state, ids[random.Next(patients)], Codes[random.Next(Codes.Length)], chain.Now).Eligible)
            {
                throw new InvalidOperationException("not eligible");
            }
        });
        Console.WriteLine($"eligibility check at {patients:N0} policies, {claims:N0} claims: {eligibility}");
        foreach (var key in keys)
        {
            key.Dispose();
        }
    }

    private static string Organisation(string id, string kind, SigningKey key) =>
        $$"""{"organisation":"{{id}}","kind":"{{kind}}","governing":false,"publicKeys":["{{Convert.ToBase64String(key.PublicKey.SubjectPublicKeyInfo)}}"]}""";

    private static void CommitAll(TestChain chain, int perBlock, IReadOnlyList<Transaction> transactions)
    {
        foreach (var block in transactions.Chunk(perBlock))
        {
            var committed = chain.Commit(block);
            if (committed.Results.FirstOrDefault(r => r.Status != TransactionStatus.Committed) is { } failed)
            {
                throw new InvalidOperationException($"{failed.Code}: {failed.Message}");
            }
        }
    }
}
