using CareLedger.Client;
using CareLedger.Contracts.Consent;
using CareLedger.Core.Encoding;
using CareLedger.Core.Ledger;

namespace CareLedger.Node;

/// <summary>
/// Signs what the node does for its organisation (access entries, screening counts, invitations, download records) with the
/// organisation's key, submits it and waits for the block.
/// </summary>
public sealed class OrganisationSigner(LedgerNode node, TransactionFactory factory)
{
    private static readonly TimeSpan CommitWait = TimeSpan.FromSeconds(30);

    private string? _organisation;

    /// <summary>The organisation the key belongs to, or null while the ledger does not know it as an active organisation key.</summary>
    public string? Organisation => _organisation ??= Caller.Resolve(node.Engine.State, factory.Key.Id) is { Kind: "organisation" } c ? c.Id : null;

    /// <summary>The organisation as a caller of the access decision point.</summary>
    public Caller? AsCaller => Organisation is { } org ? new Caller("organisation", org, org, []) : null;

    /// <summary>The committed or rejected result, or why there is none (not admitted; not committed in time).</summary>
    public async Task<Submission> SubmitAsync(string type, object args, CancellationToken cancellationToken)
    {
        var tx = factory.Create(type, TransactionArgs.FromJson(System.Text.Json.JsonSerializer.Serialize(args, CareLedgerClient.Json)));
        var (result, refusal) = await node.SubmitAndWaitAsync(tx, CommitWait, cancellationToken);
        return refusal is not null ? new Submission(null, refusal.Code, refusal.Message)
            : result is null ? new Submission(null, "commit.timeout", "The ledger did not commit in time.")
            : new Submission(result, result.Code, result.Message);
    }
}

/// <summary>What became of a submission: the result (committed or rejected), or the code and message of why there is none.</summary>
public sealed record Submission(TransactionResult? Result, string? Code, string? Message)
{
    public bool Committed => Result?.Status == TransactionStatus.Committed;
}
