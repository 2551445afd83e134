using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenTelemetry.Trace;

namespace CareLedger.Node.Tests;

/// <summary>What an operations team scrapes and probes: Prometheus metrics at /metrics, liveness and readiness.</summary>
[Collection("network")]
public sealed partial class OperationsTests : NodeTest
{
    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{(?<labels>[^}]*)\})? (?<value>[0-9.e+-]+)$", RegexOptions.Multiline)]
    private static partial Regex Sample();

    private async Task<Dictionary<string, double>> ScrapeAsync()
    {
        // The exporter caches a scrape for 300 ms; wait it out so that the numbers are fresh.
        await Task.Delay(400);
        var text = await Node.Http.GetStringAsync("metrics");
        return Sample().Matches(text).GroupBy(m => m.Groups["name"].Value + "{" + m.Groups["labels"].Value + "}")
            .ToDictionary(g => g.Key, g => double.Parse(g.First().Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static double Sum(Dictionary<string, double> samples, string name, string? label = null) =>
        samples.Where(s => s.Key.StartsWith(name + "{", StringComparison.Ordinal) && (label is null || s.Key.Contains(label, StringComparison.Ordinal))).Sum(s => s.Value);

    [Fact]
    public async Task Under_load_every_instrument_moves_and_no_label_names_a_patient_record_or_member()
    {
        var before = await ScrapeAsync();
        var (exit, output, error) = await CliRunner.Run("bench", "--workload", "mixed", "--clients", "2", "--duration", "2", "--batch", "1", "--patients", "10",
            "--transactions", "2000", "--receipts", "0", "--node", Node.Address.ToString(), "--key", Path.Combine(Node.DataDirectory, "keys", "admin.key"));
        Assert.True(exit == 0, output + error);
        using var refused = new HttpRequestMessage(HttpMethod.Get, "api/v1/head");
        refused.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not.a.token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Node.Http.SendAsync(refused)).StatusCode);
        var after = await ScrapeAsync();

        foreach (var (name, label) in new (string, string?)[]
        {
            ("careledger_admission_decisions_total", "outcome=\"accepted\""),
            ("careledger_block_transactions_count", null),
            ("careledger_block_commit_duration_seconds_count", null),
            ("careledger_block_execution_duration_seconds_count", null),
            ("careledger_gatekeeper_decisions_total", "action=\"read\",outcome=\"permit\""),
            ("careledger_gatekeeper_decisions_total", "action=\"create\",outcome=\"permit\""),
            ("careledger_vault_operations_total", "operation=\"get\""),
            ("careledger_vault_operations_total", "operation=\"put\""),
            ("careledger_auth_refusals_total", "code=\"auth.bad_token\""),
            ("http_server_request_duration_seconds_count", null),
            ("careledger_ledger_height", null),
        })
        {
            Assert.True(Sum(after, name, label) > Sum(before, name, label), $"{name} {label} did not move: {Sum(before, name, label)} → {Sum(after, name, label)}");
        }
        Assert.Contains(after.Keys, k => k.StartsWith("careledger_mempool_depth{", StringComparison.Ordinal));

        // Labels are codes and outcomes: no pseudonym, record, member or key id reaches the scrape.
        var text = await Node.Http.GetStringAsync("metrics");
        foreach (var identifier in new[] { "patient:", "record:", "member:", "org:", "rx:", "claim:", "policy:" })
        {
            Assert.DoesNotContain(identifier, text, StringComparison.Ordinal);
        }
        Assert.DoesNotMatch("[0-9a-f]{64}", text);
    }

    [Fact]
    public async Task Each_transaction_is_one_connected_trace_linked_to_its_block_with_no_identity_in_any_attribute()
    {
        var spans = new List<System.Diagnostics.Activity>();
        string patient;
        using (var tracing = OpenTelemetry.Sdk.CreateTracerProviderBuilder()
            .AddSource(Operations.NodeTracing.SourceName).AddAspNetCoreInstrumentation().AddInMemoryExporter(spans).Build())
        {
            using var care = await CareSetup.CreateAsync(Node.Client, Node.AdminKey, Node.Chain, "member:dr-trace", """["read","append"]""");
            patient = care.PatientId;
            var tx = Node.Factory.Create("notary.anchor", $$"""{"hash":"{{new string('c', 64)}}","documentType":"x"}""");
            Assert.Equal("committed", (await Node.Client.SubmitAsync(tx, TimeSpan.FromSeconds(10))).Status);
            var (status, _) = await new CareLedger.Client.CareLedgerClient(Node.Http, care.Clinician, Node.Chain).CreateFhirAsync("Observation", care.PatientId, "laboratory",
                """{"resourceType":"Observation","status":"final","code":{"text":"K"},"valueQuantity":{"value":4.1,"unit":"mmol/L"}}""");
            Assert.Equal(201, status);
            tracing.ForceFlush();
        }
        var request = Assert.Single(spans, s => s.Kind == System.Diagnostics.ActivityKind.Server && s.DisplayName.Contains("/api/v1/transactions", StringComparison.Ordinal)
            && spans.Any(a => a.OperationName == "careledger.admission" && a.ParentSpanId == s.SpanId && (string?)a.GetTagItem("careledger.transaction.type") == "notary.anchor"));
        var admission = Assert.Single(spans, s => s.OperationName == "careledger.admission" && s.ParentSpanId == request.SpanId);
        var commit = Assert.Single(spans, s => s.OperationName == "careledger.commit" && s.TraceId == request.TraceId);
        Assert.Equal(request.SpanId, commit.ParentSpanId);
        var block = Assert.Single(spans, s => s.OperationName == "careledger.block" && s.Links.Any(l => l.Context.SpanId == admission.SpanId));
        Assert.Equal(commit.GetTagItem("careledger.block.height"), block.GetTagItem("careledger.block.height"));

        // The FHIR create is one trace too: request, the gatekeeper's admission of records.register, its commit.
        var create = Assert.Single(spans, s => s.Kind == System.Diagnostics.ActivityKind.Server && s.DisplayName.Contains("/fhir/", StringComparison.Ordinal));
        Assert.Contains(spans, s => s.TraceId == create.TraceId && s.OperationName == "careledger.admission" && (string?)s.GetTagItem("careledger.transaction.type") == "records.register");
        Assert.Contains(spans, s => s.TraceId == create.TraceId && s.OperationName == "careledger.commit");

        // Attributes are types, codes, heights and counts: no pseudonym, record, member or key.
        var attributes = string.Join(" ", spans.SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}")));
        foreach (var identifier in new[] { patient, "record:", "member:", "org:", Node.AdminKey.Id.ToString() })
        {
            Assert.DoesNotContain(identifier, attributes, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Liveness_and_readiness_answer_on_ASP_NET_Core_health_checks()
    {
        Assert.Equal("Healthy", await Node.Http.GetStringAsync("health/live"));
        using var ready = await Node.Http.GetAsync("health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.Equal(["consensus", "disk", "store", "vault"], report.GetProperty("checks").EnumerateObject().Select(c => c.Name).Order());
        Assert.All(report.GetProperty("checks").EnumerateObject(), c => Assert.Equal("Healthy", c.Value.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_vault_that_cannot_store_makes_the_node_unready_with_the_reason()
    {
        // The vault's ciphertext directory is gone and a file stands in its way (a broken volume, a bad restore): nothing can be stored.
        var vault = Path.Combine(Node.DataDirectory, "vault", "blobs");
        Directory.CreateDirectory(Path.GetDirectoryName(vault)!);
        if (Directory.Exists(vault))
        {
            Directory.Delete(vault, recursive: true);
        }
        await File.WriteAllTextAsync(vault, "not a directory");
        using var ready = await Node.Http.GetAsync("health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Unhealthy", report.GetProperty("checks").GetProperty("vault").GetProperty("status").GetString());
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("store").GetProperty("status").GetString());
    }
}
