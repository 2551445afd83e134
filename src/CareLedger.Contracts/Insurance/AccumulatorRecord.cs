namespace CareLedger.Contracts.Insurance;

/// <summary>A policy's running totals for one plan year: deductible met, patient cost sharing, payer paid, units per code.</summary>
public sealed record AccumulatorRecord(long Deductible, long OutOfPocket, long PayerPaid, IReadOnlyDictionary<string, int> Units)
{
    public static AccumulatorRecord Empty { get; } = new(0, 0, 0, new Dictionary<string, int>());
}
