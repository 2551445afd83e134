using System.CommandLine;
using CareLedger.Client;
using CareLedger.Core.Crypto;

namespace CareLedger.Cli.Commands;

/// <summary>The options shared by commands that talk to a node, and the client they build.</summary>
internal sealed class NodeConnection
{
    public Option<string> Node { get; } = new("--node") { Description = "Node address (default: CARELEDGER_NODE, else http://127.0.0.1:5080).", DefaultValueFactory = _ => DataDefaults.Node };

    public Option<string?> Key { get; } = new("--key") { Description = "PEM key file of a key registered on the ledger (default: the data directory's organisation key)." };

    public Option<string> Data { get; } = new("--data") { Description = "The node's data directory, for the default key (default: CARELEDGER_DATA, else ./data).", DefaultValueFactory = _ => DataDefaults.Directory };

    public Option<string?> PassphraseEnv { get; } = new("--passphrase-env") { Description = "Environment variable holding the key file's passphrase." };

    public void AddTo(Command command)
    {
        command.Options.Add(Node);
        command.Options.Add(Key);
        command.Options.Add(Data);
        command.Options.Add(PassphraseEnv);
    }

    /// <summary>The key file: <c>--key</c>, else the data directory's organisation key.</summary>
    public string KeyPath(ParseResult parse) => parse.GetValue(Key) ?? DataDefaults.KeyIn(parse.GetValue(Data)!);

    public static SigningKey LoadKey(string path, string? passphraseEnv)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No key file at {path}.");
        }
        var passphrase = passphraseEnv is null ? null : Environment.GetEnvironmentVariable(passphraseEnv);
        return SigningKey.FromPem(File.ReadAllText(path), passphrase);
    }

    /// <summary>
    /// Connects and runs <paramref name="action"/>; a refusal by the node becomes exit code 1 with its code
    /// and sentence, malformed input exit code 2.
    /// </summary>
    public async Task<int> RunAsync(ParseResult parse, CliOutput output, Func<CareLedgerClient, TransactionFactory, Task<int>> action, CancellationToken cancellationToken)
    {
        try
        {
            var (client, factory, http) = await ConnectAsync(parse, cancellationToken);
            using (http)
            {
                return await action(client, factory);
            }
        }
        catch (CareLedgerException ex)
        {
            return output.Fail(ExitCodes.Invalid, ex.Message);
        }
    }

    /// <summary>Connects: reads the chain id from the node and builds a signing client.</summary>
    public async Task<(CareLedgerClient Client, TransactionFactory Factory, HttpClient Http)> ConnectAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var key = LoadKey(KeyPath(parse), parse.GetValue(PassphraseEnv));
        var http = new HttpClient { BaseAddress = new Uri(parse.GetValue(Node)!.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(60) };
        var chain = (await CareLedgerClient.GetChainInfoAsync(http, cancellationToken)).Chain;
        return (new CareLedgerClient(http, key, chain), new TransactionFactory(key, chain), http);
    }
}
