namespace CareLedger.Node;

/// <summary>Runs the node's commit loop for the lifetime of the host; a failed commit stops the host loudly.</summary>
internal sealed class LedgerNodeService(LedgerNode node, IHostApplicationLifetime lifetime, ILogger<LedgerNodeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await node.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log.CommitLoopFailed(logger, ex);
            Environment.ExitCode = 3;
            lifetime.StopApplication();
        }
    }
}
