using System.Net;
using System.Net.Http.Headers;

namespace CareLedger.Node.Tests;

/// <summary>Common CLI mistakes end in one sentence and a stable exit code, never a stack trace.</summary>
[Collection("network")]
public sealed class CliErrorTests : NodeTest
{
    private string AdminKey => Path.Combine(Node.DataDirectory, "keys", "admin.key");

    private static void AssertOneSentence(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, stderr);
        Assert.StartsWith("careledger: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_key_file_at_the_default_path_is_one_sentence_and_exit_2()
    {
        var (exit, _, error) = await CliRunner.Run("tx", "submit", "--type", "notary.anchor", "--node", Node.Address.ToString(), "--data", Path.Combine(Path.GetTempPath(), "no-such-data-dir"));
        Assert.Equal(2, exit);
        AssertOneSentence(error);
        Assert.Contains("No key file", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_that_is_not_running_is_one_sentence_and_exit_1()
    {
        var (exit, _, error) = await CliRunner.Run("tx", "submit", "--type", "notary.anchor", "--node", "http://127.0.0.1:1", "--key", AdminKey);
        Assert.Equal(1, exit);
        AssertOneSentence(error);
        Assert.Contains("cannot reach the node", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_arguments_and_a_file_that_is_no_key_are_one_sentence_and_exit_2()
    {
        var (exit, _, error) = await CliRunner.Run("tx", "submit", "--type", "notary.anchor", "--args", "{not json", "--node", Node.Address.ToString(), "--key", AdminKey);
        Assert.Equal(2, exit);
        AssertOneSentence(error);

        var notAKey = Path.Combine(Node.DataDirectory, "not-a-key.pem");
        await File.WriteAllTextAsync(notAKey, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        (exit, _, error) = await CliRunner.Run("tx", "submit", "--type", "notary.anchor", "--node", Node.Address.ToString(), "--key", notAKey);
        Assert.Equal(2, exit);
        AssertOneSentence(error);
    }

    [Fact]
    public async Task A_refusal_by_the_node_is_its_code_and_sentence_and_exit_1()
    {
        var (exit, _, error) = await CliRunner.Run("tx", "get", new string('a', 64), "--node", Node.Address.ToString(), "--key", AdminKey);
        Assert.Equal(1, exit);
        AssertOneSentence(error);
    }

    [Fact]
    public async Task The_token_command_prints_a_bearer_token_the_node_accepts_found_through_the_data_directory()
    {
        var (exit, output, error) = await CliRunner.Run("token", "--node", Node.Address.ToString(), "--data", Node.DataDirectory);
        Assert.True(exit == 0, error);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/head");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", output.Trim());
        Assert.Equal(HttpStatusCode.OK, (await Node.Http.SendAsync(request)).StatusCode);

        (exit, _, error) = await CliRunner.Run("token", "--minutes", "60", "--node", Node.Address.ToString(), "--data", Node.DataDirectory);
        Assert.Equal(2, exit);
        AssertOneSentence(error);
    }

    [Theory]
    [InlineData("--port", "5381")]
    [InlineData("--dta", "x")]
    [InlineData("-p", "5381")]
    public async Task A_node_given_a_switch_it_does_not_know_refuses_to_start_and_creates_nothing(string option, string value)
    {
        var data = Path.Combine(Path.GetTempPath(), "careledger-unknown-switch-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(2, await NodeApp.RunAsync([option, value, "--data", data]));
        Assert.False(Directory.Exists(data));
        Assert.Null(NodeOptions.UnknownSwitch(["--data", "d", "--urls", "http://127.0.0.1:5081", "--Logging:LogLevel:Default", "Debug", "--block-max-wait-ms", "5", "--demo"]));
    }
}
