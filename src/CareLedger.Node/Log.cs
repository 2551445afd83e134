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

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "Access token refused: {Code}")]
    public static partial void TokenRefused(ILogger logger, string code);
}
