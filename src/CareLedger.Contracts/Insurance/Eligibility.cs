namespace CareLedger.Contracts.Insurance;

/// <summary>
/// Real-time eligibility: is the patient covered on a date (and for a code)? Answered from the ledger alone, so a
/// provider can check a patient who has no card with them. The benefit, prior-authorisation need and what is left
/// of the deductible and out-of-pocket maximum this year come with it.
/// </summary>
public sealed record Eligibility(bool Eligible, string Reason, string? Policy, string? Plan, string? Insurer, string? MemberId, long? CoveredUntil,
    Benefit? Benefit, long? DeductibleRemaining, long? OutOfPocketRemaining, string? Currency)
{
    public static Eligibility Check(Ledger.Execution.IStateReader state, string patient, string? code, long time)
    {
        var reason = "no policy covers the patient on this date";
        foreach (var id in StateJson.ReadIds(state, InsuranceKeys.PoliciesOf(patient)))
        {
            var policy = StateJson.Read<PolicyRecord>(state.Get(InsuranceKeys.Policy(id)))!;
            var plan = StateJson.Read<PlanRecord>(state.Get(InsuranceKeys.Plan(policy.Plan)))!;
            if (!policy.CoversDate(time) || plan.InForce(time) is not { } version)
            {
                continue;
            }
            var benefit = code is null ? null : version.Benefits.FirstOrDefault(b => b.Code == code);
            if (code is not null && (benefit is null || version.Exclusions.Contains(code)))
            {
                reason = $"{code} is not covered by {plan.Id}";
                continue;
            }
            var used = ClaimAdjudicator.Accumulators(state, policy.Id, time);
            return new Eligibility(true, "covered", policy.Id, plan.Id, policy.Insurer, policy.MemberId, policy.End, benefit,
                Math.Max(0, version.Deductible - used.Deductible), Math.Max(0, version.OutOfPocketMax - used.OutOfPocket), plan.Currency);
        }
        return new Eligibility(false, reason, null, null, null, null, null, null, null, null, null);
    }
}
