namespace CareLedger.Cli;

/// <summary>Exit codes every command keeps: auditors script against them.</summary>
internal static class ExitCodes
{
    /// <summary>Done; or the thing checked is valid.</summary>
    public const int Ok = 0;

    /// <summary>The thing checked is invalid, or the node refused.</summary>
    public const int Invalid = 1;

    /// <summary>The input could not be understood.</summary>
    public const int Malformed = 2;
}
