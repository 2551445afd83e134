using CareLedger.Client;
using CareLedger.Core.Crypto;
using Microsoft.AspNetCore.Builder;

namespace CareLedger.Node.Tests;

/// <summary>A real node on Kestrel at 127.0.0.1 (free port) over a fresh SQLite data directory.</summary>
public sealed class InProcessNode : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessNode(WebApplication app, string dataDirectory, Uri address)
    {
        _app = app;
        DataDirectory = dataDirectory;
        Address = address;
        Http = new HttpClient { BaseAddress = address };
        AdminKey = SigningKey.FromPem(File.ReadAllText(Path.Combine(dataDirectory, "keys", "admin.key")));
        var chain = CareLedgerClient.GetChainInfoAsync(Http).GetAwaiter().GetResult().Chain;
        Chain = chain;
        Client = new CareLedgerClient(Http, AdminKey, chain);
        Factory = new TransactionFactory(AdminKey, chain);
    }

    public string DataDirectory { get; }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public SigningKey AdminKey { get; }

    public string Chain { get; }

    public CareLedgerClient Client { get; }

    public TransactionFactory Factory { get; }

    public LedgerNode Ledger => (LedgerNode)_app.Services.GetService(typeof(LedgerNode))!;

    public static async Task<InProcessNode> StartAsync(string? dataDirectory = null, params string[] extraArguments)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "careledger-node-" + Guid.NewGuid().ToString("N"));
        var app = NodeApp.Build(["--data", dataDirectory, "--urls", "http://127.0.0.1:0", "--block-max-wait-ms", "5", "--Logging:LogLevel:Default", "Warning",
            .. extraArguments]);
        await app.StartAsync();
        return new InProcessNode(app, dataDirectory, new Uri(app.Urls.First() + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        AdminKey.Dispose();
    }

    public void DeleteData()
    {
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
