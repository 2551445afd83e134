using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

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
