using CareLedger.Client;
using CareLedger.Contracts.Consent;

namespace CareLedger.Node;

/// <summary>
/// Signs what the node does for its organisation (access entries, screening counts, invitations, download records) with the
/// organisation's key, submits it and waits for the block.
/// </summary>
public sealed class OrganisationSigner(LedgerNode node, TransactionFactory factory)
{
    private string? _organisation;

    /// <summary>The organisation the key belongs to, or null while the ledger does not know it as an active organisation key.</summary>
    public string? Organisation => _organisation ??= Caller.Resolve(node.Engine.State, factory.Key.Id) is { Kind: "organisation" } c ? c.Id : null;

    /// <summary>The organisation as a caller of the access decision point.</summary>
    public Caller? AsCaller => Organisation is { } org ? new Caller("organisation", org, org, []) : null;

    /// <summary>The committed or rejected result, or why there is none (not admitted; not committed in time).</summary>
    public Task<Submission> SubmitAsync(string type, object args, CancellationToken cancellationToken) =>
        node.SignAndSubmitAsync(factory, type, System.Text.Json.JsonSerializer.SerializeToNode(args, CareLedgerClient.Json), cancellationToken);
}
