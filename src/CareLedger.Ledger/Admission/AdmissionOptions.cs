namespace CareLedger.Ledger.Admission;

/// <summary>Limits applied to incoming transactions.</summary>
public sealed record AdmissionOptions
{
    /// <summary>Longest accepted distance between now and a transaction's notAfter; bounds the replay window.</summary>
    public TimeSpan MaxValidity { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Most transactions waiting for ordering before new ones are refused (back-pressure).</summary>
    public int MaxPending { get; init; } = 200_000;
}
