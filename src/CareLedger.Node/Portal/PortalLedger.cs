using System.Text.Json.Nodes;
using CareLedger.Client;
using CareLedger.Core.Encoding;

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
        Core.Ledger.Transaction tx;
        try
        {
            tx = new TransactionFactory(key, node.Engine.Chain).Create(type, TransactionArgs.FromJson(args));
        }
        catch (FormatException ex)
        {
            return new(false, "tx.malformed", ex.Message);
        }
        var (result, refusal) = await node.SubmitAndWaitAsync(tx, TimeSpan.FromSeconds(30), cancellationToken);
        return result switch
        {
            _ when refusal is not null => new(false, refusal.Code, refusal.Message),
            null => new(false, "commit.timeout", "The network did not confirm the change in time; it may still go through."),
            { Status: Core.Ledger.TransactionStatus.Committed } => new(true, null, "Done.", tx.Id.ToString()),
            _ => new(false, result.Code, result.Message ?? result.Code ?? "Refused."),
        };
    }
}
