using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CareLedger.Client.Wire;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;

namespace CareLedger.Client;

/// <summary>
/// Talks to a CareLedger node's REST API. Reads are authenticated with short-lived ES256 JWTs signed by
/// <paramref name="key"/>; submissions need none (each transaction is signed).
/// </summary>
public sealed class CareLedgerClient(HttpClient http, SigningKey key, string chain)
{
    /// <summary>JSON options of the API (camelCase).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private string? _token;
    private DateTimeOffset _tokenExpires;

    /// <summary>Chain id and genesis of the node at <paramref name="http"/>'s base address (no authentication).</summary>
    public static async Task<ChainInfo> GetChainInfoAsync(HttpClient http, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(new Uri("api/v1/chain", UriKind.Relative), cancellationToken);
        return await ReadAsync<ChainInfo>(response, cancellationToken);
    }

    /// <summary>Submits one transaction; with <paramref name="wait"/> it returns once the transaction is in a block (or the wait ends).</summary>
    public async Task<SubmitOutcome> SubmitAsync(Transaction transaction, TimeSpan? wait = null, CancellationToken cancellationToken = default)
    {
        using var content = new ByteArrayContent(transaction.Encoded.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
        using var response = await http.PostAsync(WithWait("api/v1/transactions", wait), content, cancellationToken);
        return await ReadAsync<SubmitOutcome>(response, cancellationToken);
    }

    /// <summary>Submits several transactions at once; outcomes come back in input order.</summary>
    public Task<BatchSubmitResponse> SubmitBatchAsync(IEnumerable<Transaction> transactions, TimeSpan? wait = null, CancellationToken cancellationToken = default) =>
        SubmitEncodedBatchAsync(EncodeBatch(transactions), wait, cancellationToken);

    /// <summary>
    /// The request body of a batch, serialized once: a client that signs ahead (a device that batches offline, a load
    /// test) can keep it and send it later with <see cref="SubmitEncodedBatchAsync"/>.
    /// </summary>
    public static byte[] EncodeBatch(IEnumerable<Transaction> transactions) =>
        JsonSerializer.SerializeToUtf8Bytes(new BatchSubmitRequest(transactions.Select(t => Convert.ToBase64String(t.Encoded.Span)).ToList()), Json);

    /// <summary>Submits a batch body made by <see cref="EncodeBatch"/>.</summary>
    public async Task<BatchSubmitResponse> SubmitEncodedBatchAsync(ReadOnlyMemory<byte> encodedBatch, TimeSpan? wait = null,
        CancellationToken cancellationToken = default)
    {
        using var content = new ReadOnlyMemoryContent(encodedBatch);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(WithWait("api/v1/transactions/batch", wait), content, cancellationToken);
        return await ReadAsync<BatchSubmitResponse>(response, cancellationToken);
    }

    /// <summary>Status and result of a transaction; with <paramref name="wait"/>, waits for its commit first.</summary>
    public Task<TransactionView> GetTransactionAsync(Hash id, TimeSpan? wait = null, CancellationToken cancellationToken = default) =>
        GetAsync<TransactionView>(WithWait($"api/v1/transactions/{id}", wait), cancellationToken);

    /// <summary>
    /// The receipt of a committed transaction against the node's current head; with <paramref name="certified"/>
    /// (a consortium), against the highest header a majority of validators signed.
    /// </summary>
    public async Task<ReceiptDocument> GetReceiptAsync(Hash id, bool certified = false, CancellationToken cancellationToken = default) =>
        await GetAsync<ReceiptDocument>(new Uri($"api/v1/transactions/{id}/receipt{(certified ? "?certified=true" : "")}", UriKind.Relative), cancellationToken);

    /// <summary>The receipt against the newest checkpoint the node's witnesses cosigned, carrying that cosigned checkpoint.</summary>
    public async Task<ReceiptDocument> GetWitnessedReceiptAsync(Hash id, CancellationToken cancellationToken = default) =>
        await GetAsync<ReceiptDocument>(new Uri($"api/v1/transactions/{id}/receipt?witnessed=true", UriKind.Relative), cancellationToken);

    /// <summary>The signed head.</summary>
    public Task<HeaderView> GetHeadAsync(CancellationToken cancellationToken = default) =>
        GetAsync<HeaderView>(new Uri("api/v1/head", UriKind.Relative), cancellationToken);

    /// <summary>A block by height.</summary>
    public Task<BlockView> GetBlockAsync(long height, CancellationToken cancellationToken = default) =>
        GetAsync<BlockView>(new Uri($"api/v1/blocks/{height}", UriKind.Relative), cancellationToken);

    /// <summary>A block by header hash.</summary>
    public Task<BlockView> GetBlockAsync(Hash hash, CancellationToken cancellationToken = default) =>
        GetAsync<BlockView>(new Uri($"api/v1/blocks/by-hash/{hash}", UriKind.Relative), cancellationToken);

    /// <summary>An RFC 9162 consistency proof between two log sizes.</summary>
    public Task<ConsistencyView> GetConsistencyProofAsync(long size1, long size2, CancellationToken cancellationToken = default) =>
        GetAsync<ConsistencyView>(new Uri($"api/v1/log/consistency?size1={size1}&size2={size2}", UriKind.Relative), cancellationToken);

    /// <summary>The first anchoring of a document hash.</summary>
    public Task<AnchorView> GetAnchorAsync(string hash, CancellationToken cancellationToken = default) =>
        GetAsync<AnchorView>(new Uri($"api/v1/notary/{hash}", UriKind.Relative), cancellationToken);

    /// <summary>
    /// Stores a FHIR R4 resource for a patient through the node's gatekeeper (<c>POST /fhir/{type}</c>).
    /// Returns the HTTP status and the FHIR JSON answer (the stored resource, or an OperationOutcome).
    /// </summary>
    public async Task<(int Status, string Body)> CreateFhirAsync(string resourceType, string patient, string category, string json, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post,
            new Uri($"fhir/{Uri.EscapeDataString(resourceType)}?patient={Uri.EscapeDataString(patient)}&category={Uri.EscapeDataString(category)}", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token());
        request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/fhir+json");
        using var response = await http.SendAsync(request, cancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>
    /// Reads a FHIR resource through the node's gatekeeper (<c>GET /fhir/{type}/{id}</c>): the read is decided and its access
    /// entry committed before the resource is released. Returns the HTTP status and the FHIR JSON answer.
    /// </summary>
    public async Task<(int Status, string Body)> ReadFhirAsync(string resourceType, string id, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"fhir/{Uri.EscapeDataString(resourceType)}/{Uri.EscapeDataString(id)}", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token());
        using var response = await http.SendAsync(request, cancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>Reads an authenticated JSON endpoint (path relative to the node, e.g. <c>api/v1/credentials/cred:x</c>).</summary>
    public Task<T> GetJsonAsync<T>(string path, CancellationToken cancellationToken = default) =>
        GetAsync<T>(new Uri(path, UriKind.Relative), cancellationToken);

    /// <summary>Posts <paramref name="body"/> as JSON to an authenticated endpoint (e.g. <c>api/v1/operations/backup</c>) and reads the JSON answer.</summary>
    public async Task<T> PostJsonAsync<T>(string path, object body, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body, options: Json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token());
        using var response = await http.SendAsync(request, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    private async Task<T> GetAsync<T>(Uri uri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token());
        using var response = await http.SendAsync(request, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    private string Token()
    {
        var now = DateTimeOffset.UtcNow;
        if (_token is null || now > _tokenExpires)
        {
            _token = AccessToken.Create(key, chain, AccessToken.MaxLifetime, now);
            _tokenExpires = now + AccessToken.MaxLifetime - TimeSpan.FromSeconds(30);
        }
        return _token;
    }

    private static Uri WithWait(string path, TimeSpan? wait) =>
        new(wait is { } w ? $"{path}?wait={(long)w.TotalMilliseconds}" : path, UriKind.Relative);

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
        }
        ProblemView? problem = null;
        try
        {
            problem = await response.Content.ReadFromJsonAsync<ProblemView>(Json, cancellationToken);
        }
        catch (JsonException)
        {
        }
        throw new CareLedgerException(problem?.Code ?? (response.StatusCode == HttpStatusCode.NotFound ? "not_found" : "http.error"),
            problem?.Detail ?? problem?.Title ?? response.ReasonPhrase ?? "The node refused the request.", (int)response.StatusCode);
    }
}
