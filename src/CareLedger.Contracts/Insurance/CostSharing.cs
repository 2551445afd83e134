using System.Globalization;

namespace CareLedger.Contracts.Insurance;

/// <summary>
/// Splits an allowed amount between payer and patient under a plan version and the year's accumulators: the
/// deductible first (where it applies), then the copay or coinsurance, capped by the out-of-pocket maximum; the
/// payer's part is capped by the plan's annual limit, the excess falling to the patient as not covered.
/// Integer minor units throughout; the payer's coinsurance share rounds down.
/// </summary>
public static class CostSharing
{
    /// <summary>The split and the accumulators after it.</summary>
    public sealed record Split(long Payer, long Patient, AccumulatorRecord After, IReadOnlyList<string> Explanation);

    public static Split Compute(PlanVersion plan, Benefit benefit, AccumulatorRecord before, long allowed, int quantity)
    {
        var explanation = new List<string>();
        var deductible = benefit.DeductibleApplies ? Math.Min(allowed, Math.Max(0, plan.Deductible - before.Deductible)) : 0;
        if (deductible > 0)
        {
            explanation.Add(Text($"deductible: {deductible} (met so far {before.Deductible} of {plan.Deductible})"));
        }
        var rest = allowed - deductible;
        long share;
        if (benefit.Copay is { } copay)
        {
            share = Math.Min(copay, rest);
            explanation.Add(Text($"copay: {share}"));
        }
        else
        {
            var percent = benefit.PayerPercent ?? 100;
            share = rest - (rest * percent / 100);
            explanation.Add(Text($"coinsurance: plan pays {percent}%, patient {share}"));
        }
        var costShare = deductible + share;
        var outOfPocketLeft = Math.Max(0, plan.OutOfPocketMax - before.OutOfPocket);
        if (costShare > outOfPocketLeft)
        {
            explanation.Add(Text($"out-of-pocket maximum {plan.OutOfPocketMax} reached: patient share {costShare} capped at {outOfPocketLeft}"));
            costShare = outOfPocketLeft;
            deductible = Math.Min(deductible, costShare);
        }
        var payer = allowed - costShare;
        var notCovered = 0L;
        if (plan.AnnualLimit > 0 && payer > plan.AnnualLimit - before.PayerPaid)
        {
            notCovered = payer - Math.Max(0, plan.AnnualLimit - before.PayerPaid);
            payer -= notCovered;
            explanation.Add(Text($"annual limit {plan.AnnualLimit}: {notCovered} not covered"));
        }
        var units = new Dictionary<string, int>(before.Units, StringComparer.Ordinal);
        units[benefit.Code] = units.GetValueOrDefault(benefit.Code) + quantity;
        var after = new AccumulatorRecord(before.Deductible + deductible, before.OutOfPocket + costShare, before.PayerPaid + payer,
            new SortedDictionary<string, int>(units, StringComparer.Ordinal));
        return new Split(payer, costShare + notCovered, after, explanation);
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
