using System.Text.Json.Nodes;
using CareLedger.Client;

namespace CareLedger.Node.Portal;

/// <summary>
/// What the portal does for its signed-in user: it signs transactions with their key and submits them to
/// this node (the same admission and contracts as the API), and waits for the block.
/// </summary>
public sealed class PortalLedger(LedgerNode node, PortalSession session)
{
    /// <summary>The outcome of one action: committed, or a stable code with a sentence a person understands.</summary>
    public sealed record Outcome(bool Committed, string? Code, string Message, string? Transaction = null);

    public async Task<Outcome> SubmitAsync(string type, JsonObject args, CancellationToken cancellationToken = default)
    {
        if (session.Key is not { } key)
        {
            return new(false, "auth.signed_out", "Sign in first.");
        }
        var submission = await node.SignAndSubmitAsync(new TransactionFactory(key, node.Engine.Chain), type, args, cancellationToken);
        return submission.Committed
            ? new(true, null, "Done.", submission.Result!.TransactionId.ToString())
            : new(false, submission.Code, submission.Message ?? submission.Code ?? "Refused.");
    }
}
