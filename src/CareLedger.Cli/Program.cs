using CareLedger.Cli;
using CareLedger.Node;

// The node takes its own switches (ASP.NET configuration), so 'node run' hands them over untouched.
if (args is ["node", "run", .. var nodeArgs] && !nodeArgs.Contains("--help") && !nodeArgs.Contains("-h"))
{
    return await NodeApp.RunAsync(nodeArgs);
}
return await CareLedgerCli.RunAsync(args, CliOutput.Console());
