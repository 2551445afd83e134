namespace CareLedger.Node;

/// <summary>Log messages of the node (identifiers and hashes only; never PHI, keys or tokens).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Critical, Message = "The commit loop stopped; the node shuts down")]
    public static partial void CommitLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "CareLedger node for chain {Chain} at height {Height}, data in {DataDirectory}")]
    public static partial void Started(ILogger logger, string chain, long height, string dataDirectory);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Critical, Message = "Refusing to start: {Reason}")]
    public static partial void RefusedToStart(ILogger logger, string reason);

    // Security events: 2100-2199.
    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning, Message = "Security: request refused {Code}, key {Kid}, {Method} {Route} from {Remote}")]
    public static partial void AccessRefused(ILogger logger, string code, string kid, string method, string route, string remote);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Demo network seeded: {Patients} synthetic patients, head at block {Height}; keys and who is who in {Keys}")]
    public static partial void DemoSeeded(ILogger logger, int patients, long height, string keys);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "--demo ignored: the ledger is not empty (or the node is in a consortium)")]
    public static partial void DemoSkipped(ILogger logger);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Error, Message = "Demo seeding stopped")]
    public static partial void DemoFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Critical, Message = "Diverged at block {Height}: evidence written to diverged.json; stopping with exit code 75 so that the next start rebuilds the ledger from the Raft log")]
    public static partial void RebuildRequested(ILogger logger, long height);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "Rebuilding the ledger from the Raft log after a divergence; the diverged store is kept in {Evidence}")]
    public static partial void Rebuilding(ILogger logger, string evidence);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Critical, Message = "Diverged again at block {Height} after rebuilding in this run: this node executes differently from the majority and stays aside until it is restarted (with a fixed build)")]
    public static partial void DivergedAfterRebuild(ILogger logger, long height);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "No static web assets manifest at {Manifest}: the portal is off; the API, FHIR, /metrics and /health serve as usual (run the portal from a build)")]
    public static partial void PortalAssetsMissing(ILogger logger, string manifest);
}
