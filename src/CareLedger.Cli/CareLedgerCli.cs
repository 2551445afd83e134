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

    /// <summary>Parses and runs; a command line that does not parse exits 2 (malformed input).</summary>
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
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output.Out });
        }
        catch (HttpRequestException ex)
        {
            return output.Fail(ExitCodes.Invalid, $"cannot reach the node: {ex.Message}");
        }
        catch (FileNotFoundException ex)
        {
            return output.Fail(ExitCodes.Malformed, ex.Message);
        }
        catch (FormatException ex)
        {
            return output.Fail(ExitCodes.Malformed, ex.Message);
        }
    }
}
