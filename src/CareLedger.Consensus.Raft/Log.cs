using CareLedger.Core.Crypto;
using Microsoft.Extensions.Logging;

namespace CareLedger.Consensus.Raft;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Critical, "DIVERGED at block {Height}: this node computed {Own}, a majority of validators certified {Majority}. This node stops applying; see /api/v1/consensus for the evidence.")]
    public static partial void Diverged(ILogger logger, long height, Hash own, Hash majority);

    [LoggerMessage(2, LogLevel.Error, "Validator {Validator} signed header {Theirs} at block {Height}, not {Ours}; its votes are refused from now on.")]
    public static partial void FaultyValidator(ILogger logger, KeyId validator, long height, Hash theirs, Hash ours);

    [LoggerMessage(3, LogLevel.Warning, "Raft entry {Index} is not a CareLedger entry and is skipped: {Reason}")]
    public static partial void BadEntry(ILogger logger, long index, string reason);

    [LoggerMessage(4, LogLevel.Information, "Leader is now {Leader}")]
    public static partial void LeaderChanged(ILogger logger, string leader);

    [LoggerMessage(5, LogLevel.Warning, "Could not hand {Count} transactions to the leader; they are retried: {Reason}")]
    public static partial void HandOffFailed(ILogger logger, int count, string reason);

    [LoggerMessage(6, LogLevel.Information, "Raft membership: {Change} {Endpoint}: {Done}")]
    public static partial void MembershipChanged(ILogger logger, string change, string endpoint, bool done);

    [LoggerMessage(8, LogLevel.Information, "Raft node {Name} on {Listen} over {Transport}; election timeout {Lower}-{Upper} ms, request timeout {Request} ms")]
    public static partial void RaftStarting(ILogger logger, string name, string listen, string transport, int lower, int upper, int request);

    [LoggerMessage(9, LogLevel.Information, "Raft peers authenticated by {Authentication}; this node presents certificate {Subject} for node key {NodeKey}; members: {Members}")]
    public static partial void RaftIdentity(ILogger logger, string authentication, string subject, string nodeKey, string members);

    [LoggerMessage(10, LogLevel.Warning, "Refused a Raft peer presenting {Reason} (key {Key})")]
    public static partial void PeerRefused(ILogger logger, string reason, string key);

    [LoggerMessage(7, LogLevel.Critical, "This node diverged from the majority: it has given up leadership and stays a standby member (never elected) until its store is repaired")]
    public static partial void StoodAside(ILogger logger);
}
