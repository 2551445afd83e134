using System.Text.Json;
using CareLedger.Client;
using CareLedger.Client.Wire;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Ledger;
using CareLedger.Storage;

namespace CareLedger.Node.Api;

/// <summary>Submit transactions (one or a batch), read their status and results, get receipts.</summary>
internal static class TransactionEndpoints
{
    public const int MaxBatch = 10_000;
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    public static void MapSubmissions(RouteGroupBuilder api)
    {
        api.MapPost("/transactions", SubmitOne)
            .WithSummary("Submit one signed transaction")
            .WithDescription("Body: the canonical CBOR envelope (application/cbor) or {\"transaction\": base64} (application/json). " +
                             "With ?wait=ms the answer comes once the transaction is in a block. The transaction's signature authenticates it.")
            .Accepts<SubmitRequest>("application/json", "application/cbor")
            .Produces<SubmitOutcome>(StatusCodes.Status200OK)
            .Produces<SubmitOutcome>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapPost("/transactions/batch", SubmitBatch)
            .WithSummary("Submit up to 10,000 signed transactions")
            .WithDescription("Signature checks run in parallel. Each transaction gets its own outcome, in input order.")
            .Accepts<BatchSubmitRequest>("application/json")
            .Produces<BatchSubmitResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
    }

    public static void MapReads(RouteGroupBuilder api)
    {
        api.MapGet("/transactions/{id}", GetTransaction)
            .WithSummary("Status and result of a transaction (?wait=ms waits for its commit)")
            .WithDescription("Its type, signer, arguments, message and events are shown to its parties (signer, the identities it names, " +
                             "delegates of a patient it names), auditors and the node's operator; anyone else gets its id, status and position.")
            .Produces<TransactionView>();
        api.MapGet("/transactions/{id}/receipt", GetReceipt)
            .WithSummary("Receipt: result entry, RFC 9162 inclusion proof, the signed head it leads to, and the same proof as a COSE receipt (RFC 9942)")
            .WithDescription("In a consortium, ?certified=true gives the receipt against the highest header a majority of validators signed. " +
                             "?witnessed=true gives it against the newest checkpoint the node's witnesses cosigned, with that cosigned checkpoint. " +
                             "The receipt holds the result entry, so only those who may read the transaction get it (403 auth.not_a_party).")
            .Produces<ReceiptDocument>();
    }

    private static async Task<IResult> SubmitOne(HttpRequest request, LedgerNode node, long? wait, CancellationToken cancellationToken)
    {
        byte[] encoded;
        if (request.ContentType?.StartsWith("application/cbor", StringComparison.OrdinalIgnoreCase) == true)
        {
            var read = await ReadBounded(request.Body, TransactionCodec.MaxSize, cancellationToken);
            if (read is null)
            {
                return Problems.Of(LedgerErrorCodes.TooLarge, $"A transaction is at most {TransactionCodec.MaxSize} bytes.");
            }
            encoded = read;
        }
        else
        {
            SubmitRequest? body;
            try
            {
                body = await request.ReadFromJsonAsync<SubmitRequest>(CareLedgerClient.Json, cancellationToken);
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
            {
                return Problems.Of(LedgerErrorCodes.Malformed, "Send application/cbor, or JSON {\"transaction\": \"<base64>\"}.");
            }
            if (body?.Transaction is null || !TryBase64(body.Transaction, out encoded))
            {
                return Problems.Of(LedgerErrorCodes.Malformed, "'transaction' must be the base64 of the canonical CBOR envelope.");
            }
        }
        var admission = await node.SubmitAsync(encoded, cancellationToken);
        if (!admission.Accepted)
        {
            return Problems.Of(admission.Rejection!);
        }
        var id = admission.Transaction!.Id;
        if (wait is > 0 && await node.WaitForCommitAsync(id, Clamp(wait.Value), cancellationToken) is { } result)
        {
            return Results.Ok(Views.Outcome(result));
        }
        return Results.Accepted($"/api/v1/transactions/{id}", Views.Outcome(admission));
    }

    // The body is read as a JSON document and each transaction decoded straight from its UTF-8 base64: a batch of
    // thousands would otherwise become as many UTF-16 strings first. A string that is not base64 is refused on its own.
    private static async Task<IResult> SubmitBatch(HttpRequest request, LedgerNode node, long? wait, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
        }
        catch (JsonException)
        {
            return Problems.Of("request.malformed", "The body is not JSON: send {\"transactions\": [\"<base64>\", …]}.");
        }
        using var _ = document;
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("transactions", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            return Problems.Of(LedgerErrorCodes.Malformed, "Send {\"transactions\": [\"<base64>\", …]} with at least one transaction.");
        }
        if (list.GetArrayLength() > MaxBatch)
        {
            return Problems.Of(LedgerErrorCodes.TooLarge, $"A batch holds at most {MaxBatch} transactions.");
        }
        var decoded = new ReadOnlyMemory<byte>[list.GetArrayLength()];
        var undecodable = new bool[decoded.Length];
        var n = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.TryGetBytesFromBase64(out var bytes))
            {
                decoded[n] = bytes;
            }
            else
            {
                undecodable[n] = true;
            }
            n++;
        }
        var admitted = await node.SubmitBatchAsync(decoded, cancellationToken);
        var outcomes = new SubmitOutcome[admitted.Length];
        for (var i = 0; i < admitted.Length; i++)
        {
            outcomes[i] = undecodable[i]
                ? new SubmitOutcome(null, "refused", LedgerErrorCodes.Malformed, "Not base64.")
                : Views.Outcome(admitted[i]);
        }
        if (wait is > 0)
        {
            var deadline = Clamp(wait.Value);
            var accepted = Enumerable.Range(0, admitted.Length).Where(i => admitted[i].Accepted).ToList();
            var results = await node.WaitForCommitAsync(accepted.Select(i => admitted[i].Transaction!.Id).ToList(), deadline, cancellationToken);
            for (var j = 0; j < accepted.Count; j++)
            {
                if (results[j] is { } result)
                {
                    outcomes[accepted[j]] = Views.Outcome(result);
                }
            }
        }
        return Results.Ok(new BatchSubmitResponse(outcomes));
    }

    private static async Task<IResult> GetTransaction(string id, HttpContext http, LedgerNode node, OrganisationSigner operatorKey, TimeProvider clock, long? wait,
        CancellationToken cancellationToken)
    {
        if (!Hash.TryParse(id, out var hash))
        {
            return Problems.Of("request.bad_id", "A transaction id is 64 hex digits.");
        }
        if (wait is > 0 && node.Pending.IsPending(hash))
        {
            await node.WaitForCommitAsync(hash, Clamp(wait.Value), cancellationToken);
        }
        if (node.Store.GetTransaction(hash) is { } stored)
        {
            return Results.Ok(MaySee(http, node, operatorKey, clock, stored) ? Views.Transaction(stored) : Views.Redacted(stored));
        }
        return node.Pending.IsPending(hash)
            ? Results.Ok(new TransactionView(id, "pending"))
            : Problems.NotFound($"Transaction {id}");
    }

    private static IResult GetReceipt(string id, HttpContext http, LedgerNode node, OrganisationSigner operatorKey, TimeProvider clock,
        Witnessing.WitnessedCheckpoints witnessedCheckpoints, bool? certified, bool? witnessed)
    {
        if (!Hash.TryParse(id, out var hash))
        {
            return Problems.Of("request.bad_id", "A transaction id is 64 hex digits.");
        }
        if (node.Store.GetTransaction(hash) is { } stored && !MaySee(http, node, operatorKey, clock, stored))
        {
            return Problems.Of("auth.not_a_party", $"Only the parties of transaction {id} and auditors get its receipt.", StatusCodes.Status403Forbidden);
        }
        if (certified == true && node.Raft is not null)
        {
            return ConsensusEndpoints.CertifiedReceipt(node, hash) is { } certifiedReceipt
                ? Results.Ok(ReceiptDocument.From(certifiedReceipt, node.Engine.CoseReceiptFor(certifiedReceipt)))
                : Problems.Of("receipt.not_certified", $"No header certified by a majority covers transaction {id} yet; retry shortly.",
                    StatusCodes.Status404NotFound);
        }
        if (witnessed == true)
        {
            return witnessedCheckpoints.Latest is { } latest && node.Store.GetHeader(latest.Checkpoint.Height) is { } header
                   && node.Engine.GetReceipt(hash, header) is { } witnessedReceipt
                ? Results.Ok(ReceiptDocument.From(witnessedReceipt, node.Engine.CoseReceiptFor(witnessedReceipt), latest.Note))
                : Problems.Of("receipt.not_witnessed", $"No checkpoint the node's witnesses cosigned covers transaction {id} yet.",
                    StatusCodes.Status404NotFound);
        }
        var receipt = node.Engine.GetReceipt(hash);
        return receipt is null
            ? Problems.NotFound($"Committed transaction {id}")
            : Results.Ok(ReceiptDocument.From(receipt, node.Engine.CoseReceiptFor(receipt)));
    }

    private static bool MaySee(HttpContext http, LedgerNode node, OrganisationSigner operatorKey, TimeProvider clock, StoredTransaction stored) =>
        Auth.LedgerReadAuthorisation.MaySeeContents(node.Engine.State, GateHttp.CallerOf(http), operatorKey.Organisation, stored, clock.GetUtcNow().ToUnixTimeMilliseconds());

    private static TimeSpan Clamp(long waitMs) => TimeSpan.FromMilliseconds(Math.Min(waitMs, MaxWait.TotalMilliseconds));

    private static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = new byte[(text.Length * 3 / 4) + 3];
        if (text.Length > TransactionCodec.MaxSize * 2 || !Convert.TryFromBase64String(text, bytes, out var written))
        {
            bytes = [];
            return false;
        }
        bytes = bytes[..written];
        return true;
    }

    private static async Task<byte[]?> ReadBounded(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
