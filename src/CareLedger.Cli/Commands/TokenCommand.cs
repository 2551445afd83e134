using System.CommandLine;
using CareLedger.Client;

namespace CareLedger.Cli.Commands;

/// <summary>
/// <c>token</c>: prints a short-lived bearer token (ES256 JWT) for a ledger key, for reading the API with curl or from the API
/// reference page: <c>curl -H "Authorization: Bearer $(careledger token)" http://127.0.0.1:5080/api/v1/head</c>.
/// </summary>
internal static class TokenCommand
{
    public static Command Create(CliOutput output)
    {
        var connection = new NodeConnection();
        var minutes = new Option<int>("--minutes") { Description = "Lifetime in minutes (at most 5: the node refuses longer tokens).", DefaultValueFactory = _ => 5 };
        var cmd = new Command("token", "Print a short-lived bearer token for a ledger key (the chain id is read from the node).") { minutes };
        connection.AddTo(cmd);
        cmd.SetAction((parse, ct) => connection.RunAsync(parse, output, (_, factory) =>
        {
            var lifetime = TimeSpan.FromMinutes(parse.GetValue(minutes));
            if (lifetime <= TimeSpan.Zero || lifetime > AccessToken.MaxLifetime)
            {
                return Task.FromResult(output.Fail(ExitCodes.Malformed, $"--minutes is 1 to {AccessToken.MaxLifetime.TotalMinutes:0}."));
            }
            output.Line(AccessToken.Create(factory.Key, factory.Chain, lifetime, DateTimeOffset.UtcNow));
            return Task.FromResult(ExitCodes.Ok);
        }, ct));
        return cmd;
    }
}
