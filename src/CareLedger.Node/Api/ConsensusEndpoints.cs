using CareLedger.Consensus.Raft;
using CareLedger.Core.Ledger;

namespace CareLedger.Node.Api;

/// <summary>The node's view of its consortium, and the leader's door for other nodes' header votes.</summary>
internal static class ConsensusEndpoints
{
    private const int MaxVotesBody = 1024 * 1024;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/consensus", Status)
            .WithSummary("Consensus mode, leader, term, applied and certified heights, faulty validators and divergence evidence")
            .Produces<ConsensusStatus>();
        api.MapPost("/consensus/votes", Votes)
            .WithSummary("Header votes from another validator, for the leader to replicate (canonical CBOR Raft entry)")
            .WithDescription("Votes are signatures over header hashes; every node checks them against the validator keys when it applies them.")
            .Accepts<byte[]>("application/cbor");
    }

    private static IResult Status(LedgerNode node) => node.Raft is { } raft
        ? Results.Ok(raft.Status())
        : Results.Ok(new ConsensusStatus("solo", node.Engine.NodeKeyId.ToString(), null, true, 0, node.Engine.Head.Header.Height,
            node.Engine.Head.Header.Height, node.Engine.Head.Header.Height, node.Engine.Head.Header.Height, 1, [], [], null, "none"));

    private static async Task<IResult> Votes(HttpRequest request, LedgerNode node, CancellationToken cancellationToken)
    {
        if (node.Raft is not { } raft)
        {
            return Problems.Of(ConsensusErrorCodes.NotConsortium, "This node runs solo; it takes no votes.");
        }
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > MaxVotesBody)
        {
            return Problems.Of("request.too_large", "A votes entry is at most 1 MiB.", StatusCodes.Status413PayloadTooLarge);
        }
        RaftEntry entry;
        try
        {
            entry = RaftEntry.Decode(buffer.ToArray());
        }
        catch (FormatException ex)
        {
            return Problems.Of("consensus.bad_votes", ex.Message);
        }
        if (entry is not RaftEntry.VotesEntry votes)
        {
            return Problems.Of("consensus.bad_votes", "Only votes entries are accepted here; transactions go to /api/v1/transactions.");
        }
        return await raft.ReplicateVotesAsync(votes, cancellationToken)
            ? Results.NoContent()
            : Problems.Of(ConsensusErrorCodes.NotLeader, "This node does not lead; send votes to the leader.");
    }

    /// <summary>
    /// Endpoint filter for reads: with <c>?consistency=linearizable</c> a consortium node first waits on a
    /// Raft read barrier, so the answer reflects every write committed before the request.
    /// </summary>
    public static async ValueTask<object?> LinearizableReads(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var node = http.RequestServices.GetRequiredService<LedgerNode>();
        if (http.Request.Query["consistency"] == "linearizable" && node.Raft is not null && !await node.CatchUpAsync(http.RequestAborted, seconds: 5))
        {
            return Problems.Of(ConsensusErrorCodes.NoQuorum, "A linearizable read needs a majority of the network's nodes; they are not reachable now.");
        }
        return await next(context);
    }

    /// <summary>The receipt against the highest header a majority of validators certified, or null when none covers the transaction yet.</summary>
    public static Receipt? CertifiedReceipt(LedgerNode node, Core.Crypto.Hash id)
    {
        if (node.Raft is not { } raft || node.Store.GetTransaction(id) is not { } stored)
        {
            return null;
        }
        return raft.Certification.CertifiedHeader(stored.LogIndex + 1) is { } header ? node.Engine.GetReceipt(id, header) : null;
    }
}
