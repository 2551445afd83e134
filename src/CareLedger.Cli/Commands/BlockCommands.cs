using System.CommandLine;
using CareLedger.Core.Crypto;

namespace CareLedger.Cli.Commands;

/// <summary><c>block get HEIGHT|HASH</c> and <c>head</c>.</summary>
internal static class BlockCommands
{
    public static Command Create(CliOutput output)
    {
        var connection = new NodeConnection();
        var which = new Argument<string>("HEIGHT_OR_HASH") { Description = "Block height, or header hash in hex." };
        var get = new Command("get", "Show a block's signed header and transaction ids.") { which };
        connection.AddTo(get);
        get.SetAction(async (parse, ct) =>
        {
            var arg = parse.GetValue(which)!;
            var byHeight = long.TryParse(arg, out var height) && height >= 0;
            if (!byHeight && !Hash.TryParse(arg, out _))
            {
                return output.Fail(ExitCodes.Malformed, "Give a height (0, 1, …) or a 64-hex header hash.");
            }
            return await connection.RunAsync(parse, output, async (client, _) =>
            {
                output.Json(byHeight ? await client.GetBlockAsync(height, ct) : await client.GetBlockAsync(Hash.Parse(arg), ct));
                return ExitCodes.Ok;
            }, ct);
        });
        var headConnection = new NodeConnection();
        var head = new Command("head", "Show the signed head (save it to check receipts against it later).");
        headConnection.AddTo(head);
        head.SetAction((parse, ct) => headConnection.RunAsync(parse, output, async (client, _) =>
        {
            output.Json(await client.GetHeadAsync(ct));
            return ExitCodes.Ok;
        }, ct));
        var block = new Command("block", "Read blocks.");
        block.Subcommands.Add(get);
        block.Subcommands.Add(head);
        return block;
    }
}
