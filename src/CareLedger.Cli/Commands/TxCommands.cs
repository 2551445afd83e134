using System.CommandLine;
using CareLedger.Core.Crypto;

namespace CareLedger.Cli.Commands;

/// <summary><c>tx submit</c> and <c>tx get</c>.</summary>
internal static class TxCommands
{
    public static Command Create(CliOutput output)
    {
        var tx = new Command("tx", "Submit and read transactions.");
        tx.Subcommands.Add(Submit(output));
        tx.Subcommands.Add(Get(output));
        return tx;
    }

    private static Command Submit(CliOutput output)
    {
        var connection = new NodeConnection();
        var type = new Option<string>("--type") { Required = true, Description = "contract.action, e.g. notary.anchor." };
        var args = new Option<string>("--args") { Description = "Arguments as a JSON object.", DefaultValueFactory = _ => "{}" };
        var wait = new Option<int>("--wait") { Description = "Milliseconds to wait for the commit.", DefaultValueFactory = _ => 10_000 };
        var cmd = new Command("submit", "Sign a transaction with --key and submit it; prints the outcome.") { type, args, wait };
        connection.AddTo(cmd);
        cmd.SetAction((parse, ct) => connection.RunAsync(parse, output, async (client, factory) =>
        {
            var transaction = factory.Create(parse.GetValue(type)!, parse.GetValue(args)!);
            var outcome = await client.SubmitAsync(transaction, TimeSpan.FromMilliseconds(parse.GetValue(wait)), ct);
            output.Json(outcome);
            return outcome.Status is "committed" or "pending" ? ExitCodes.Ok : ExitCodes.Invalid;
        }, ct));
        return cmd;
    }

    private static Command Get(CliOutput output)
    {
        var connection = new NodeConnection();
        var id = new Argument<string>("ID") { Description = "Transaction id (64 hex digits)." };
        var cmd = new Command("get", "Show a transaction's status and result.") { id };
        connection.AddTo(cmd);
        cmd.SetAction(async (parse, ct) => !Hash.TryParse(parse.GetValue(id), out var hash)
            ? output.Fail(ExitCodes.Malformed, "A transaction id is 64 hex digits.")
            : await connection.RunAsync(parse, output, async (client, _) =>
            {
                output.Json(await client.GetTransactionAsync(hash, cancellationToken: ct));
                return ExitCodes.Ok;
            }, ct));
        return cmd;
    }
}
