namespace CareLedger.Contracts.Insurance;

/// <summary>
/// A patient's coverage under a plan, held under the patient's pseudonym: the insurer's member id, the period
/// (<see cref="End"/> exclusive), and the insurance card the insurer signed (a VC-JOSE compact JWS), if any.
/// </summary>
public sealed record PolicyRecord(string Id, string Insurer, string Plan, string Patient, string MemberId, long Start, long End, string? Card)
{
    public bool CoversDate(long time) => Start <= time && time < End;
}
