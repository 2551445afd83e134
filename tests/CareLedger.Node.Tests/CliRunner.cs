using CareLedger.Cli;

namespace CareLedger.Node.Tests;

/// <summary>Runs the careledger command tree in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CareLedgerCli.RunAsync(args, new CliOutput(stdout, stderr, interactive: false));
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
