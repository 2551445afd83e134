using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
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

    /// <summary>GET <paramref name="path"/> with a fresh access token of <paramref name="caller"/>: the status and the JSON body.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> GetAsAsync(SigningKey caller, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken.Create(caller, Chain, TimeSpan.FromMinutes(2), DateTimeOffset.UtcNow));
        using var response = await Http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    public static async Task<InProcessNode> StartAsync(string? dataDirectory = null, params string[] extraArguments)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "careledger-node-" + Guid.NewGuid().ToString("N"));
        var app = NodeApp.Build(["--data", dataDirectory, "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning",
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
