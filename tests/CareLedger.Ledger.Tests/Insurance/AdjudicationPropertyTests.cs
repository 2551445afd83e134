using CareLedger.Contracts.Insurance;
using CsCheck;

namespace CareLedger.Ledger.Tests.Insurance;

public sealed class AdjudicationPropertyTests
{
    private static readonly Gen<PlanVersion> Plans =
        Gen.Select(Gen.Long[0, 100_000], Gen.Long[1, 400_000], Gen.Long[0, 500_000], Gen.Long[0, 90_000], Gen.Int[0, 100], Gen.Long[1, 10_000].Nullable(),
            (deductible, extra, limit, allowed, percent, copay) => new PlanVersion(0, deductible, deductible + extra, limit, 0, 0, [],
                [new Benefit("X", allowed + 1, null, copay, copay is null ? percent : null, DeductibleApplies: percent % 2 == 0, 0, false, null)], []));

    private static readonly Gen<AccumulatorRecord> Accumulators =
        Gen.Select(Gen.Long[0, 100_000], Gen.Long[0, 500_000], Gen.Long[0, 500_000], (d, o, p) => new AccumulatorRecord(d, o, p, new Dictionary<string, int>()));

    /// <summary>For any plan, accumulators within their maximums and allowed amount, the split adds up and the maximums hold.</summary>
    [Fact]
    public void Property_the_split_adds_up_and_accumulators_never_pass_their_maximums()
    {
        Gen.Select(Plans, Accumulators, Gen.Long[0, 1_000_000]).Sample((plan, before, allowed) =>
        {
            before = new AccumulatorRecord(Math.Min(before.Deductible, plan.Deductible), Math.Min(before.OutOfPocket, plan.OutOfPocketMax),
                plan.AnnualLimit > 0 ? Math.Min(before.PayerPaid, plan.AnnualLimit) : before.PayerPaid, before.Units);
            var split = CostSharing.Compute(plan, plan.Benefits[0], before, allowed, 1);
            return split.Payer + split.Patient == allowed && split.Payer >= 0 && split.Patient >= 0
                && split.After.Deductible <= plan.Deductible && split.After.OutOfPocket <= plan.OutOfPocketMax
                && (plan.AnnualLimit == 0 || split.After.PayerPaid <= plan.AnnualLimit)
                && split.After.PayerPaid - before.PayerPaid == split.Payer;
        });
    }

    /// <summary>
    /// Across random claims, decisions and funding on a real chain: the settlement ledger balances, no account but external
    /// goes negative, every payment pays one approved line exactly, no service is paid twice, and a replay of the chain
    /// by an auditor reaches the same state (adjudication is deterministic).
    /// </summary>
    [Fact]
    public void Property_money_balances_no_line_is_paid_twice_and_nothing_is_paid_without_an_approved_line()
    {
        var codes = new[] { "99213", "80053", "70553", "J3490", "00000" };
        var op = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 4], Gen.Int[1, 3], Gen.Long[1_000, 200_000], Gen.Int[0, 2]);
        op.Array[4, 14].Sample(ops =>
        {
            using var f = new InsuranceFixture(InsuranceFixture.PlanJson(annualLimit: 60_000, pendAbove: 30_000, deductible: 10_000, outOfPocketMax: 40_000), funding: 50_000);
            var n = 0;
            foreach (var (kind, code, quantity, billed, day) in ops)
            {
                switch (kind)
                {
                    case 0 or 1:
                        f.Claim($"claim:{n++}", null, (codes[code], quantity, billed, day), (codes[(code + 1) % codes.Length], 1, billed / 2, day));
                        break;
                    case 2 when n > 0:
                        var claim = f.ClaimRecord($"claim:{code % n}");
                        foreach (var line in claim.Lines.Where(l => l.Status == "pended"))
                        {
                            f.Run(f.InsurerKey, "ins.decide_line", $$"""{"claim":"{{claim.Id}}","line":{{line.Number}},"approve":{{(quantity == 3 ? "false,\"reason\":\"50\"" : "true")}}}""");
                        }
                        break;
                    case 3:
                        f.Run(f.InsurerKey, "ins.fund", $$"""{"amount":{{billed}},"currency":"USD"}""");
                        break;
                }
            }
            var claims = Enumerable.Range(0, n).Select(i => f.ClaimRecord($"claim:{i}")).Where(c => c is not null).ToList();
            var approved = claims.SelectMany(c => c.Lines.Where(l => l.Status == "approved").Select(l => (c.Id, l))).ToList();
            var payments = f.Journal().Where(j => j.Claim is not null).ToList();
            var accounts = f.Accounts();
            var paidOnce = payments.GroupBy(p => (p.Claim, p.Line)).All(g => g.Count() == 1);
            var everyPaymentIsAnApprovedLine = payments.All(p => approved.Any(a => a.Id == p.Claim && a.l.Number == p.Line && a.l.PayerAmount == p.Amount));
            var everyPayingLineIsPaid = approved.Where(a => a.l.PayerAmount > 0).All(a => payments.Any(p => p.Claim == a.Id && p.Line == a.l.Number));
            var splitsAddUp = approved.All(a => a.l.PayerAmount + a.l.PatientAmount == a.l.Allowed);
            var sameServicePaidOnce = approved.GroupBy(a => (a.l.Code, a.l.ServiceDate / InsuranceFixture.Day, a.l.Quantity)).All(g => g.Count() == 1);
            var acc = ClaimAdjudicator.Accumulators(f.Chain.Engine.State, "policy:p1", f.Chain.Now);
            var audit = f.Chain.Auditor().Audit(f.Chain.Store.ReadBlocks(), f.Chain.Store.ReadState());
            return accounts.Sum(a => a.Balance) == 0 && accounts.All(a => a.Owner == SettlementLedger.External || a.Balance >= 0)
                && paidOnce && everyPaymentIsAnApprovedLine && everyPayingLineIsPaid && splitsAddUp && sameServicePaidOnce
                && acc.Deductible <= 10_000 && acc.OutOfPocket <= 40_000 && acc.PayerPaid <= 60_000 && audit.Passed;
        }, iter: 25);
    }
}
