using System.Text.Json;

namespace CareLedger.Node.Tests;

/// <summary><c>careledger bench</c> against a real node: each hospital workload enrols its cast and commits what it sends.</summary>
[Collection("network")]
public sealed class BenchCommandTests : NodeTest
{
    private Task<(int Exit, string Output, string Error)> Bench(params string[] args) =>
        CliRunner.Run(["bench", .. args, "--node", Node.Address.ToString(), "--key", Path.Combine(Node.DataDirectory, "keys", "admin.key"), "--receipts", "5"]);

    [Fact]
    public async Task The_mixed_workload_reads_creates_grants_dispenses_and_claims_with_nothing_refused()
    {
        var (exit, output, error) = await Bench("--workload", "mixed", "--clients", "2", "--duration", "2", "--batch", "1", "--patients", "20", "--transactions", "3000");
        Assert.True(exit == 0, output + error);
        var summary = JsonDocument.Parse(output).RootElement;
        var operations = summary.GetProperty("operations");
        foreach (var operation in new[] { "fhir-read", "fhir-create", "consent", "dispense", "claim" })
        {
            Assert.True(operations.TryGetProperty(operation, out var stats) && stats.GetProperty("calls").GetInt32() > 0, $"{operation}: {output}");
            Assert.True(stats.GetProperty("latencyMs").GetProperty("p99").GetDouble() > 0, output);
        }
        Assert.Equal(0, summary.GetProperty("rejected").GetInt64());
        Assert.Equal(0, summary.GetProperty("refused").GetInt64());
        Assert.Equal(summary.GetProperty("submitted").GetInt64(), summary.GetProperty("committed").GetInt64());
        Assert.Empty(summary.GetProperty("ranOutOfPresigned").EnumerateArray());
    }

    [Fact]
    public async Task Batched_dispenses_commit_every_package_once()
    {
        var (exit, output, error) = await Bench("--workload", "dispense", "--clients", "2", "--duration", "1", "--batch", "50", "--patients", "5", "--transactions", "2000");
        Assert.True(exit == 0, output + error);
        var summary = JsonDocument.Parse(output).RootElement;
        Assert.True(summary.GetProperty("committed").GetInt64() >= 50, output);
        Assert.Equal(0, summary.GetProperty("rejected").GetInt64());
        Assert.Equal(summary.GetProperty("committed").GetInt64(), summary.GetProperty("operations").GetProperty("dispense").GetProperty("calls").GetInt64() * 50);
    }

    [Theory]
    [InlineData("--workload", "payroll")]
    [InlineData("--batch", "0")]
    [InlineData("--patients", "0")]
    public async Task Bad_options_are_refused_before_anything_is_sent(string option, string value)
    {
        var before = await Node.Client.GetHeadAsync();
        var (exit, output, error) = await Bench(option, value, "--duration", "1");
        Assert.NotEqual(0, exit);
        Assert.DoesNotContain("   at ", output + error);
        Assert.Equal(before.Height, (await Node.Client.GetHeadAsync()).Height);
    }
}
