using System.Globalization;
using CareLedger.Contracts.Credentials;
using CareLedger.Core.Crypto;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.Insurance;

/// <summary>
/// Adjudicates claim lines inside the contract, deterministically, in a fixed order: coverage on the date of
/// service, the plan version then in force, waiting period, exclusions and covered codes, the evidence on the ledger
/// (<see cref="ClaimEvidence"/>: the provider may bill this kind of service, the practitioner worked there and was licensed
/// for it, and the provider was treating the patient then), network, duplicates (by patient, provider, code and day),
/// prior authorisation, units per year, the review threshold, then the cost sharing and the payment from the insurer's
/// settlement account to the provider's.
/// </summary>
public static class ClaimAdjudicator
{
    private const long Day = 86_400_000;

    /// <summary>A line as submitted.</summary>
    public sealed record LineRequest(string Code, int Quantity, long Billed, long ServiceDate, string? Link);

    public static ClaimLine Adjudicate(ContractCall call, ClaimRecord claim, PolicyRecord policy, PlanRecord plan, int number, LineRequest line)
    {
        var steps = new List<string>();
        ClaimLine Deny(string carc, string why)
        {
            steps.Add(why);
            return new ClaimLine(number, line.Code, line.Quantity, line.Billed, line.ServiceDate, line.Link, "denied", carc, 0, 0, 0, steps);
        }

        if (line.ServiceDate < policy.Start)
        {
            return Deny(Carc.BeforeCoverage, Text($"service on {Date(line.ServiceDate)} is before the policy starts ({Date(policy.Start)})"));
        }
        if (line.ServiceDate >= policy.End)
        {
            return Deny(Carc.AfterCoverage, Text($"service on {Date(line.ServiceDate)} is after the policy ended ({Date(policy.End)})"));
        }
        var version = plan.InForce(line.ServiceDate);
        if (version is null)
        {
            return Deny(Carc.BeforeCoverage, Text($"no version of {plan.Id} was in force on {Date(line.ServiceDate)}"));
        }
        steps.Add(Text($"plan {plan.Id} version of {Date(version.EffectiveFrom)}"));
        if (version.Exclusions.Contains(line.Code))
        {
            return Deny(Carc.NonCovered, $"{line.Code} is excluded by the plan");
        }
        var benefit = version.Benefits.FirstOrDefault(b => b.Code == line.Code);
        if (benefit is null)
        {
            return Deny(Carc.NotInPlan, $"{line.Code} is not a covered code of the plan");
        }
        var waiting = benefit.WaitingPeriodDays ?? version.WaitingPeriodDays;
        if (line.ServiceDate < policy.Start + (waiting * Day))
        {
            return Deny(Carc.BeforeCoverage, Text($"within the {waiting}-day waiting period (covered from {Date(policy.Start + (waiting * Day))})"));
        }
        var standing = Licensing.InGoodStanding(call.State, claim.Practitioner, line.ServiceDate);
        if (!standing.Licensed)
        {
            return Deny(Carc.ProviderNotEligible, $"{claim.Practitioner} held no licence in good standing ({standing.Credential ?? "none"}: {standing.Standing})");
        }
        if (ClaimEvidence.Missing(call.State, claim, line.Code, line.ServiceDate) is { } missing)
        {
            return Deny(missing.Carc, missing.Why);
        }
        var inNetwork = version.Network.Contains(claim.Provider);
        var rate = inNetwork ? benefit.Allowed : benefit.OutOfNetworkAllowed;
        if (rate is null)
        {
            return Deny(Carc.OutOfNetwork, $"{claim.Provider} is out of network and the plan covers {line.Code} in network only");
        }
        var allowed = Math.Min(line.Billed, checked(rate.Value * line.Quantity));
        steps.Add(Text($"{(inNetwork ? "in" : "out of")} network: {rate} per unit, allowed {allowed} of {line.Billed} billed"));
        var seen = InsuranceKeys.LineSeen(Fingerprint(claim, line));
        if (call.State.Get(seen) is { } earlier)
        {
            return Deny(Carc.Duplicate, "the same service was already claimed (" + System.Text.Encoding.UTF8.GetString(earlier) + ")");
        }
        if (benefit.PriorAuthorisation && !UsePriorAuthorisation(call, policy, line, steps))
        {
            return Deny(Carc.NoAuthorisation, $"{line.Code} needs prior authorisation and none approved covers {line.Quantity} unit(s) on {Date(line.ServiceDate)}");
        }
        var accumulators = Accumulators(call.State, policy.Id, line.ServiceDate);
        if (benefit.UnitsPerYear > 0 && accumulators.Units.GetValueOrDefault(line.Code) + line.Quantity > benefit.UnitsPerYear)
        {
            return Deny(Carc.BenefitMaximum, Text($"{benefit.UnitsPerYear} unit(s) of {line.Code} a year; {accumulators.Units.GetValueOrDefault(line.Code)} used"));
        }
        if (version.AnnualLimit > 0 && accumulators.PayerPaid >= version.AnnualLimit)
        {
            return Deny(Carc.BenefitMaximum, Text($"the plan's annual limit of {version.AnnualLimit} is reached"));
        }
        call.State.Put(seen, System.Text.Encoding.UTF8.GetBytes($"{claim.Id} line {number}"));
        var pended = new ClaimLine(number, line.Code, line.Quantity, line.Billed, line.ServiceDate, line.Link, "pended", null, allowed, 0, 0, steps);
        if (version.PendAbove > 0 && allowed > version.PendAbove)
        {
            steps.Add(Text($"allowed {allowed} is above the review threshold {version.PendAbove}: pended for a claims officer"));
            return pended with { Reason = Carc.PendReview };
        }
        return Settle(call, claim, plan, pended, pendIfUnfunded: true);
    }

    /// <summary>
    /// Splits an accepted line's allowed amount and pays the payer's part. Without the funds, a line being
    /// adjudicated is pended (<see cref="Carc.PendFunds"/>); an officer's approval is refused instead.
    /// </summary>
    public static ClaimLine Settle(ContractCall call, ClaimRecord claim, PlanRecord plan, ClaimLine line, bool pendIfUnfunded)
    {
        var version = plan.InForce(line.ServiceDate)!;
        var benefit = version.Benefits.First(b => b.Code == line.Code);
        var key = InsuranceKeys.Accumulators(claim.Policy, Year(line.ServiceDate));
        var split = CostSharing.Compute(version, benefit, Accumulators(call.State, claim.Policy, line.ServiceDate), line.Allowed, line.Quantity);
        var steps = line.Explanation.Concat(split.Explanation).ToList();
        if (split.Payer > SettlementLedger.Balance(call.State, claim.Insurer, plan.Currency) && pendIfUnfunded)
        {
            steps.Add(Text($"the insurer's settlement account cannot cover {split.Payer} {plan.Currency} yet: pended"));
            return line with { Status = "pended", Reason = Carc.PendFunds, Explanation = steps };
        }
        call.State.Put(key, StateJson.Write(split.After));
        if (split.Payer > 0)
        {
            SettlementLedger.Transfer(call, claim.Insurer, claim.Provider, split.Payer, plan.Currency, $"claim {claim.Id} line {line.Number}", claim.Id, line.Number);
        }
        steps.Add(Text($"approved: payer {split.Payer}, patient {split.Patient} {plan.Currency}"));
        return line with { Status = "approved", Reason = null, PayerAmount = split.Payer, PatientAmount = split.Patient, Explanation = steps };
    }

    public static AccumulatorRecord Accumulators(IStateReader state, string policy, long time) =>
        StateJson.Read<AccumulatorRecord>(state.Get(InsuranceKeys.Accumulators(policy, Year(time)))) ?? AccumulatorRecord.Empty;

    private static bool UsePriorAuthorisation(ContractCall call, PolicyRecord policy, LineRequest line, List<string> steps)
    {
        foreach (var id in StateJson.ReadIds(call.State, InsuranceKeys.PriorAuthorisationsOf(policy.Id)))
        {
            var pa = StateJson.Read<PriorAuthorisationRecord>(call.State.Get(InsuranceKeys.PriorAuthorisation(id)))!;
            if (pa is { Status: "approved" } && pa.Code == line.Code && line.ServiceDate <= pa.ValidUntil && pa.Quantity - pa.Used >= line.Quantity)
            {
                call.State.Put(InsuranceKeys.PriorAuthorisation(id), StateJson.Write(pa with { Used = pa.Used + line.Quantity }));
                steps.Add(Text($"prior authorisation {pa.Id}: {pa.Used + line.Quantity} of {pa.Quantity} unit(s) used"));
                return true;
            }
        }
        return false;
    }

    /// <summary>Forgets a pended line that an officer denied, so the service can be claimed again (corrected).</summary>
    public static void Release(ContractCall call, ClaimRecord claim, ClaimLine line) =>
        call.State.Delete(InsuranceKeys.LineSeen(Fingerprint(claim, new LineRequest(line.Code, line.Quantity, line.Billed, line.ServiceDate, line.Link))));

    // The same service: patient, provider, code and day of service, whatever the claim, units or free text it arrives with. A pharmacy
    // claim is also told apart by its prescription (two prescriptions of one medicine may be filled on one day).
    private static string Fingerprint(ClaimRecord claim, LineRequest line) =>
        Hash.Compute(System.Text.Encoding.UTF8.GetBytes(Text($"{claim.Patient}|{claim.Provider}|{line.Code}|{line.ServiceDate / Day}|{claim.Prescription}"))).ToString();

    private static int Year(long time) => DateTimeOffset.FromUnixTimeMilliseconds(time).UtcDateTime.Year;

    private static string Date(long time) => DateTimeOffset.FromUnixTimeMilliseconds(time).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
