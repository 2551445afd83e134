using Microsoft.Extensions.Logging;

namespace CareLedger.Ledger;

/// <summary>Log messages of the ledger engine (identifiers and hashes only).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Committed block {Height} with {Count} transactions, hash {Hash}")]
    public static partial void BlockCommitted(ILogger logger, long height, int count, CareLedger.Core.Crypto.Hash hash);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Commit of block {Height} failed")]
    public static partial void CommitFailed(ILogger logger, long height, Exception exception);
}
