using CareLedger.Client.Wire;
using CareLedger.Contracts;
using CareLedger.Contracts.Notary;
using CareLedger.Core.Crypto;
using CareLedger.Node.Witnessing;

namespace CareLedger.Node.Api;

/// <summary>Chain info, health, the signed head and its checkpoint, blocks, consistency proofs and notary look-ups.</summary>
internal static class ChainEndpoints
{
    public static void MapPublic(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        app.MapGet("/health", Health).WithSummary("Liveness and head height").ExcludeFromDescription();
        api.MapGet("/health", Health).WithSummary("Liveness and head height");
        api.MapGet("/chain", (LedgerNode node) => Results.Ok(new ChainInfo(node.Engine.Chain,
                Convert.ToBase64String(node.Engine.Genesis.Encode()), node.Engine.Head.Header.Height)))
            .WithSummary("Chain id and genesis document (base64 canonical CBOR): what clients sign for and auditors start from")
            .Produces<ChainInfo>();
        // A witness holds the node to its history without a ledger key: checkpoints and proofs carry only hashes.
        app.MapGet("/checkpoint", Checkpoint).WithSummary("The signed head as a C2SP checkpoint (text/plain signed note)").ExcludeFromDescription();
        api.MapGet("/checkpoint", Checkpoint)
            .WithSummary("The signed head as a C2SP checkpoint: origin, log size, root hash, block line, ECDSA note signature (docs/witnessing.md)")
            .Produces<string>(contentType: "text/plain");
        api.MapGet("/log/consistency", Consistency)
            .WithSummary("RFC 9162 consistency proof between two log sizes").Produces<ConsistencyView>();
        // The cosignature authenticates the witness; only witnesses the node is configured with are kept.
        api.MapPost("/checkpoint/cosignatures", Cosign)
            .WithSummary("A witness hands in this node's checkpoint with its C2SP cosignature (text/plain signed note)")
            .Accepts<string>("text/plain").Produces<CosignedView>();
        api.MapGet("/checkpoint/witnessed", (WitnessedCheckpoints witnessed) => witnessed.Latest is { } latest
                ? Results.Text(latest.Note, "text/plain; charset=utf-8")
                : Problems.Of("checkpoint.not_witnessed", "No configured witness has cosigned a checkpoint of this node yet.", StatusCodes.Status404NotFound))
            .WithSummary("The newest checkpoint the node's witnesses cosigned, with their cosignatures").Produces<string>(contentType: "text/plain");
    }

    private static async Task<IResult> Cosign(HttpRequest request, WitnessedCheckpoints witnessed)
    {
        const int limit = 64 * 1024;
        var buffer = new char[limit + 1];
        using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8);
        var read = await reader.ReadBlockAsync(buffer, request.HttpContext.RequestAborted);
        if (read > limit)
        {
            return Problems.Of("request.too_large", $"A cosigned checkpoint is at most {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
        }
        var (witnesses, code, reason) = witnessed.Accept(new string(buffer, 0, read));
        return code is null ? Results.Ok(new CosignedView(witnesses, witnessed.Latest?.Checkpoint.Size ?? 0)) : Problems.Of(code, reason!);
    }

    private static IResult Checkpoint(LedgerNode node) =>
        Results.Text(node.SignedCheckpoint(), "text/plain; charset=utf-8");

    public static void MapReads(RouteGroupBuilder api)
    {
        api.MapGet("/head", (LedgerNode node) => Results.Ok(Views.Header(node.Engine.Head)))
            .WithSummary("The signed header of the last block").Produces<HeaderView>();
        api.MapGet("/blocks/{height:long}", (long height, LedgerNode node) =>
                node.Store.GetBlock(height) is { } block ? Results.Ok(Views.Block(block)) : Problems.NotFound($"Block {height}"))
            .WithSummary("A block by height").Produces<BlockView>();
        api.MapGet("/blocks/by-hash/{hash}", (string hash, LedgerNode node) =>
                Hash.TryParse(hash, out var h) && node.Store.GetHeightByHash(h) is { } height && node.Store.GetBlock(height) is { } block
                    ? Results.Ok(Views.Block(block))
                    : Problems.NotFound($"Block {hash}"))
            .WithSummary("A block by header hash").Produces<BlockView>();
        api.MapGet("/notary/{hash}", (string hash, LedgerNode node) =>
                Anchor(hash, node) is { } anchor ? Results.Ok(anchor) : Problems.NotFound($"Anchor {hash}"))
            .WithSummary("The first anchoring of a salted document hash").Produces<AnchorView>();
    }

    // The anchor record points at its transaction; the document type, signer and time are read from there.
    private static AnchorView? Anchor(string hash, LedgerNode node)
    {
        if (StateJson.Read<AnchorRecord>(node.Engine.State.Get(NotaryContract.AnchorKey(hash))) is not { } record)
        {
            return null;
        }
        var stored = node.Store.GetTransaction(Hash.Parse(record.Transaction))
            ?? throw new InvalidOperationException($"The anchoring transaction {record.Transaction} of {hash} is not in the store.");
        var header = node.Store.GetHeader(record.Height)
            ?? throw new InvalidOperationException($"Block {record.Height} of the anchoring of {hash} is not in the store.");
        var tx = stored.Transaction;
        return new AnchorView(hash, tx.Args.GetString("documentType"), tx.Signer.ToString(), record.Transaction, record.Height, header.Header.Timestamp);
    }

    private static IResult Health(LedgerNode node) =>
        Results.Ok(new { status = "ok", chain = node.Engine.Chain, height = node.Engine.Head.Header.Height, rssBytes = Environment.WorkingSet });

    private static IResult Consistency(long size1, long size2, LedgerNode node)
    {
        var logSize = node.Engine.Head.Header.LogSize;
        if (size1 <= 0 || size1 > size2 || size2 > logSize)
        {
            return Problems.Of("log.bad_range", $"Need 0 < size1 ≤ size2 ≤ {logSize} (the head's log size).");
        }
        var proof = node.Engine.ConsistencyProof(size1, size2);
        return Results.Ok(new ConsistencyView(size1, size2, node.Engine.LogRootAt(size1).ToString(), node.Engine.LogRootAt(size2).ToString(),
            proof.Select(p => p.ToString()).ToList()));
    }
}
