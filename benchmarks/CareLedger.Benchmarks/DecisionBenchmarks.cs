using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using CareLedger.Contracts;
using CareLedger.Contracts.Consent;
using CareLedger.Core.Crypto;
using CareLedger.Ledger;
using CareLedger.Ledger.Execution;
using CareLedger.Storage;
using CareLedger.Testing;
using Microsoft.Data.Sqlite;

namespace CareLedger.Benchmarks;

/// <summary>
/// An access decision with 1,000,000 grants in state (100,000 patients × 10 grants), read through the
/// node's committed-state reader (identity cache, pooled SQLite reads). The decision reads the caller's
/// delegation, the patient's grant list and each of that patient's grants.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PercentileConfig))]
public class DecisionBenchmarks
{
    private const int Patients = 100_000;
    private const int GrantsPerPatient = 10;
    private TestChain _chain = null!;
    private LedgerStore _seeded = null!;
    private IStateReader _state = null!;
    private Caller _doctor = null!;
    private int _next;

    private sealed class PercentileConfig : ManualConfig
    {
        public PercentileConfig() => AddColumn(StatisticColumn.P50, StatisticColumn.P95, StatisticColumn.Max);
    }

    [GlobalSetup]
    public void Setup()
    {
        _chain = TestChain.OnDisk();
        using var doctorKey = SigningKey.Generate();
        _chain.Commit(_chain.Sign(_chain.OrgKeys[0], "identity.enrol_member",
            $$"""{"member":"member:bench","roles":["clinician"],"publicKey":"{{Convert.ToBase64String(doctorKey.PublicKey.SubjectPublicKeyInfo)}}"}"""));
        _doctor = Caller.Resolve(_chain.Engine.State, doctorKey.Id)!;

        // State written directly: building a million grants through transactions would take the whole session.
        using var connection = new SqliteConnection($"Data Source={_chain.DatabasePath};Pooling=False");
        connection.Open();
        using var tx = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO state(key, value, height) VALUES ($k, $v, 1)";
        var key = insert.Parameters.Add("$k", SqliteType.Text);
        var value = insert.Parameters.Add("$v", SqliteType.Blob);
        insert.Prepare();
        var expires = _chain.Now + 86_400_000;
        for (var p = 0; p < Patients; p++)
        {
            var patient = $"patient:{p:x32}";
            var ids = new List<GrantRef>(GrantsPerPatient);
            for (var g = 0; g < GrantsPerPatient; g++)
            {
                var id = $"{p:x24}{g:x8}{new string('0', 32)}";
                // The last grant of each patient is the doctor's; the others name other members.
                var grantee = new Grantee("member", g == GrantsPerPatient - 1 ? "member:bench" : $"member:other-{g}", null);
                ids.Add(new GrantRef(id, grantee));
                var grant = new ConsentGrant(id, patient, grantee, ["laboratory"], [], [], ["read"], [PurposeOfUse.Treatment], 0, expires, patient, "active", null);
                key.Value = ConsentKeys.Grant(id);
                value.Value = StateJson.Write(grant);
                insert.ExecuteNonQuery();
            }
            key.Value = ConsentKeys.PatientGrants(patient);
            value.Value = StateJson.Write(ids);
            insert.ExecuteNonQuery();
        }
        tx.Commit();

        // The chain's open store answers look-ups of keys it never wrote from its key filter, so rows put in behind its
        // back are read through a store opened after them, once its filter holds every key. Grants are not identity
        // records, so the node's identity cache in front of the store plays no part in these reads.
        _seeded = LedgerStore.Open(_chain.DatabasePath);
        _seeded.WaitForStateKeyFilter(TimeSpan.FromSeconds(30));
        _state = new StoreStateReader(_seeded);
        if (!Decide_with_a_million_grants())
        {
            throw new InvalidOperationException("The doctor's access was refused: the seeded grants are not read, so the benchmark would time refusals.");
        }
    }

    [Benchmark]
    public bool Decide_with_a_million_grants()
    {
        var patient = $"patient:{(_next++ * 7919) % Patients:x32}";
        return AccessDecisionPoint.Decide(_state,
            new AccessRequest(_doctor, patient, new RecordRef("record:1", "laboratory", "Observation"), "read", PurposeOfUse.Treatment, _chain.Now)).Permit;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _seeded.Dispose();
        _chain.Dispose();
    }

    /// <summary>
    /// Per-decision latency percentiles (BenchmarkDotNet reports statistics of iteration means):
    /// <c>dotnet run -c Release --project benchmarks/CareLedger.Benchmarks -- decision-percentiles</c>.
    /// </summary>
    public static void PrintPercentiles(int decisions = 200_000)
    {
        var bench = new DecisionBenchmarks();
        bench.Setup();
        try
        {
            for (var i = 0; i < 20_000; i++)
            {
                bench.Decide_with_a_million_grants();
            }
            var samples = new double[decisions];
            for (var i = 0; i < decisions; i++)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                bench.Decide_with_a_million_grants();
                samples[i] = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            }
            Array.Sort(samples);
            double P(double p) => Math.Round(samples[(int)Math.Ceiling(p * samples.Length) - 1], 1);
            Console.WriteLine($"decisions={decisions} p50={P(0.50)}us p95={P(0.95)}us p99={P(0.99)}us p99.9={P(0.999)}us max={Math.Round(samples[^1], 1)}us");
        }
        finally
        {
            bench.Cleanup();
        }
    }
}
