using CareLedger.Node.Auth;
using CareLedger.Node.Operations;

namespace CareLedger.Node.Api;

/// <summary>What the node's operator does to the node itself: online backups (docs/operations.md).</summary>
internal static class OperationsEndpoints
{
    public sealed record BackupRequest(string Directory);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/operations/backup", Backup)
            .RequireAuthorization(Policies.NodeOperator)
            .WithSummary("Take an online backup of this node into a new directory on its machine")
            .WithDescription("For the key of the organisation that runs the node. The ledger is copied with SQLite's online backup API while " +
                             "blocks go on committing, then the vault, keys, genesis, wallet and witness list. The directory must be absolute and " +
                             "new or empty. Solo nodes only (backup.consortium).")
            .Produces<NodeBackup.Manifest>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static IResult Backup(BackupRequest? request, LedgerNode node, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(request?.Directory))
        {
            return Problems.Of("request.malformed", "Send {\"directory\": \"/absolute/path\"}.");
        }
        try
        {
            return Results.Ok(NodeBackup.Write(node, request.Directory, clock));
        }
        catch (BackupException ex)
        {
            return Problems.Of(ex.Code, ex.Message, ex.Code is "backup.exists" or "backup.consortium" ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
        }
        catch (IOException ex)
        {
            return Problems.Of("backup.io", $"The backup could not be written: {ex.Message}", StatusCodes.Status500InternalServerError);
        }
    }
}
