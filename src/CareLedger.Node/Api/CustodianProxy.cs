using CareLedger.Contracts;
using CareLedger.Contracts.Records;

using CareLedger.Node.Records;

namespace CareLedger.Node.Api;

/// <summary>
/// In a consortium, a record lives in its custodian's vault, on the custodian's node. A read of a record
/// another organisation holds is passed to that node with the caller's own access token: the custodian's
/// gatekeeper decides from ledger consent, commits the access, and releases (or refuses) the record.
/// This node only relays the answer; it never sees a decryption key. Questions every custodian answers from its own vault (a
/// variant count) are asked of each organisation's node the same way.
/// </summary>
public sealed class CustodianProxy(LedgerNode node, Func<string, string?> apiOfOrganisation,
    Func<IReadOnlyList<(string Organisation, string Api)>> organisationNodes) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// The custodian's API when <paramref name="recordId"/> is held by an organisation other than
    /// <paramref name="localCustodian"/> whose node is known; null when this node should answer itself.
    /// A record this node has not heard of may have been registered a moment ago on another node: it waits
    /// on a Raft read barrier (at most a few seconds) before concluding.
    /// </summary>
    public async Task<string?> RemoteCustodianApiAsync(string recordId, string? localCustodian, CancellationToken cancellationToken)
    {
        var record = Find(recordId);
        if (record is null && await node.CatchUpAsync(cancellationToken))
        {
            record = Find(recordId);
        }
        return record is null || record.Custodian == localCustodian ? null : apiOfOrganisation(record.Custodian);
    }

    private RecordEntry? Find(string recordId) => StateJson.Read<RecordEntry>(node.Engine.State.Get(RecordKeys.Record(recordId)));

    /// <summary>Relays the request (same path and query, the caller's Authorization) to <paramref name="api"/>.</summary>
    public async Task<IResult> RelayAsync(string api, HttpContext http, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(api), http.Request.Path + http.Request.QueryString));
        request.Headers.TryAddWithoutValidation("Authorization", http.Request.Headers.Authorization.ToString());
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return new Relayed((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), body);
        }
        catch (HttpRequestException)
        {
            return GateHttp.Fhir(GateResult.Refused(502, "records.custodian_unreachable",
                "The record's custodian holds it on its own node, which cannot be reached now; nothing was released."));
        }
    }

    /// <summary>
    /// Sends the GET <paramref name="pathAndQuery"/> with the caller's Authorization to every other organisation's node: each
    /// organisation with its status and body, or a null body when its node could not be reached.
    /// </summary>
    public async Task<IReadOnlyList<(string Organisation, int Status, string? Body)>> AskOthersAsync(string pathAndQuery, string? localOrganisation,
        HttpContext http, CancellationToken cancellationToken) =>
        await Task.WhenAll(organisationNodes().Where(n => n.Organisation != localOrganisation).Select(async n =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(n.Api), pathAndQuery));
            request.Headers.TryAddWithoutValidation("Authorization", http.Request.Headers.Authorization.ToString());
            try
            {
                using var response = await _http.SendAsync(request, cancellationToken);
                return (n.Organisation, (int)response.StatusCode, (string?)await response.Content.ReadAsStringAsync(cancellationToken));
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return (n.Organisation, 502, (string?)null);
            }
        }));

    public void Dispose() => _http.Dispose();

    private sealed class Relayed(int status, string? contentType, byte[] body) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = contentType;
            await httpContext.Response.Body.WriteAsync(body);
        }
    }
}
