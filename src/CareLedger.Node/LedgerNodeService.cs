namespace CareLedger.Node;

/// <summary>
/// Runs the node's commit loop for the lifetime of the host; a failed commit stops the host loudly, and a consortium node that
/// diverged stops for a rebuild (<see cref="DivergenceRecovery"/>).
/// </summary>
internal sealed class LedgerNodeService(LedgerNode node, IHostApplicationLifetime lifetime, ILogger<LedgerNodeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (node.Raft is { } raft)
        {
            raft.Diverged += RebuildOrStandAside;
        }
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

    private void RebuildOrStandAside(Consensus.Raft.DivergenceEvidence evidence)
    {
        if (node.Recovery.RequestRebuild(evidence))
        {
            Log.RebuildRequested(logger, evidence.Height);
            Environment.ExitCode = DivergenceRecovery.RestartExitCode;
            lifetime.StopApplication();
        }
        else
        {
            Log.DivergedAfterRebuild(logger, evidence.Height);
        }
    }
}
