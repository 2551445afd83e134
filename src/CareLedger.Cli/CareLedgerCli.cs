using System.CommandLine;
using CareLedger.Cli.Commands;
using CareLedger.Cli.Commands.Bench;

namespace CareLedger.Cli;

/// <summary>The <c>careledger</c> command tree.</summary>
internal static class CareLedgerCli
{
    public static RootCommand Build(CliOutput output)
    {
        var root = new RootCommand("careledger: a permissioned, tamper-evident ledger for healthcare.");
        root.Subcommands.Add(NodeCommands.Create());
        root.Subcommands.Add(KeyCommands.Create(output));
        root.Subcommands.Add(NetworkCommands.Create(output));
        root.Subcommands.Add(TxCommands.Create(output));
        root.Subcommands.Add(BlockCommands.Create(output));
        root.Subcommands.Add(HeadCommands.Create(output));
        root.Subcommands.Add(AuditCommands.Export(output));
        root.Subcommands.Add(AuditCommands.Verify(output));
        root.Subcommands.Add(AuditCommands.Receipt(output));
        root.Subcommands.Add(TokenCommand.Create(output));
        root.Subcommands.Add(BackupCommands.Backup(output));
        root.Subcommands.Add(BackupCommands.Restore(output));
        root.Subcommands.Add(MerkleCommands.Create(output));
        root.Subcommands.Add(ImportCommand.Create(output));
        root.Subcommands.Add(BenchCommand.Create(output));
        root.Subcommands.Add(ProbeCommand.Create(output));
        root.Subcommands.Add(Gs1Commands.Create(output));
        root.Subcommands.Add(EpcisCommands.Create(output));
        root.Subcommands.Add(VcCommands.Create(output));
        return root;
    }

    /// <summary>
    /// Parses and runs. Every failure is one sentence on stderr and a stable exit code, never a stack trace: a command line that
    /// does not parse, a missing or unreadable file and malformed input exit 2; a node that refuses, cannot be reached or does
    /// not answer in time exits 1, and so does anything unexpected (its stack trace only with <c>CARELEDGER_DEBUG=1</c>).
    /// System.CommandLine's own exception handler is off so that these sentences are the ones shown.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, CliOutput output)
    {
        var parse = Build(output).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                output.Fail(ExitCodes.Malformed, error.Message);
            }
            return ExitCodes.Malformed;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output.Out, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex)
        {
            // A bug still gets one sentence; its stack trace only on request.
            var (code, sentence) = Explain(ex) ?? (ExitCodes.Invalid, $"unexpected error ({ex.GetType().Name}): {OneLine(ex.Message)} (CARELEDGER_DEBUG=1 shows where)");
            if (Environment.GetEnvironmentVariable("CARELEDGER_DEBUG") == "1")
            {
                output.Fail(code, ex.ToString());
            }
            return output.Fail(code, sentence);
        }
    }

    private static (int Code, string Sentence)? Explain(Exception ex) => ex switch
    {
        Client.CareLedgerException refused => (ExitCodes.Invalid, $"{refused.Code}: {refused.Message}"),
        HttpRequestException unreachable => (ExitCodes.Invalid,
            $"cannot reach the node ({unreachable.HttpRequestError switch { HttpRequestError.ConnectionError => "nothing listens there; is it running? check --node", _ => unreachable.Message }})."),
        TaskCanceledException or TimeoutException => (ExitCodes.Invalid, "the node did not answer in time."),
        FileNotFoundException or DirectoryNotFoundException => (ExitCodes.Malformed, OneLine(ex.Message)),
        UnauthorizedAccessException => (ExitCodes.Malformed, $"not allowed to read or write: {OneLine(ex.Message)}"),
        FormatException or System.Text.Json.JsonException or ArgumentException => (ExitCodes.Malformed, $"malformed input: {OneLine(ex.Message)}"),
        System.Security.Cryptography.CryptographicException => (ExitCodes.Malformed, "this is not a CareLedger key file, or the passphrase is wrong."),
        IOException => (ExitCodes.Invalid, OneLine(ex.Message)),
        _ => null,
    };

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
