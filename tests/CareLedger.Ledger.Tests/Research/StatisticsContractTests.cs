using CareLedger.Contracts.Statistics;
using CareLedger.Core.Ledger;
using CareLedger.Ledger.Tests.SupplyChain;

namespace CareLedger.Ledger.Tests.Research;

public sealed class StatisticsContractTests : IDisposable
{
    private readonly ResearchFixture _f = new();

    public void Dispose() => _f.Dispose();

    private Core.Crypto.SigningKey Regulator => _f.Insurance.Supply.Regulator;

    [Fact]
    public void Only_a_regulator_grants_budget_and_spending_never_exceeds_it()
    {
        Assert.Equal(StatisticsErrors.NotAuthorised, Grant(_f.Hospital, 1000).Code);
        Assert.Equal(StatisticsErrors.BadEpsilon, Grant(Regulator, 0).Code);
        SupplyFixture.Ok(Grant(Regulator, 1000));

        // Another organisation (here the hospital's node) cannot spend the sponsor's analyst's budget; the analyst's own key can.
        Assert.Equal(StatisticsErrors.NotAuthorised, Spend(400, _f.Hospital).Code);
        SupplyFixture.Ok(Spend(400));
        SupplyFixture.Ok(Spend(400, _f.ResearcherKey));
        var refused = Spend(400);
        Assert.Equal(StatisticsErrors.BudgetExhausted, refused.Code);
        SupplyFixture.Ok(Spend(200));
        Assert.Equal(StatisticsErrors.BudgetExhausted, Spend(1).Code);
        Assert.Equal(StatisticsErrors.NotAuthorised, _f.Run(_f.Insurance.DoctorKey, "stats.spend",
            $$"""{"analyst":"{{ResearchFixture.Researcher}}","query":"{{Testing.TestChain.RandomHash()}}","epsilon":1}""").Code);

        var budget = StatisticsContract.Budget(_f.Chain.Engine.State, ResearchFixture.Researcher);
        Assert.Equal((1000L, 1000L, 3), (budget.Granted, budget.Spent, budget.Queries));
    }

    [Fact]
    public void Random_spending_histories_never_overdraw_a_budget()
    {
        var random = new Random(2027);
        SupplyFixture.Ok(Grant(Regulator, 5000));
        long accepted = 0;
        for (var i = 0; i < 60; i++)
        {
            var epsilon = random.Next(1, 700);
            var result = Spend(epsilon);
            if (result.Status == TransactionStatus.Committed)
            {
                accepted += epsilon;
            }
            else
            {
                Assert.Equal(StatisticsErrors.BudgetExhausted, result.Code);
                Assert.True(accepted + epsilon > 5000);
            }
            Assert.True(accepted <= 5000);
            Assert.Equal(accepted, StatisticsContract.Budget(_f.Chain.Engine.State, ResearchFixture.Researcher).Spent);
        }
    }

    [Fact]
    public void Case_reports_need_a_declared_region_and_a_later_report_replaces_the_week()
    {
        var report = """{"condition":"A08.1","week":"2027-W03","count":14}""";
        Assert.Equal(StatisticsErrors.BadReport, _f.Run(_f.Hospital, "stats.report_cases", report).Code);
        Assert.Equal(StatisticsErrors.BadReport, _f.Run(_f.Hospital, "stats.set_region", """{"region":"Massachusetts"}""").Code);
        SupplyFixture.Ok(_f.Run(_f.Hospital, "stats.set_region", """{"region":"US-MA"}"""));
        SupplyFixture.Ok(_f.Run(_f.Hospital, "stats.report_cases", report));
        SupplyFixture.Ok(_f.Run(_f.Insurance.DoctorKey, "stats.report_cases", report.Replace("14", "16", StringComparison.Ordinal)));
        Assert.Equal(StatisticsErrors.BadReport, _f.Run(_f.Hospital, "stats.report_cases", """{"condition":"A08.1","week":"2027-W54","count":1}""").Code);
        Assert.Equal(StatisticsErrors.NotAuthorised, _f.Run(_f.SponsorKey, "stats.report_cases", report).Code);

        var stored = _f.Chain.Engine.State.Get(StatisticsKeys.Cases("A08.1", "US-MA", "2027-W03", "org:founder-0"));
        Assert.Equal("16", System.Text.Encoding.UTF8.GetString(stored!));
    }

    private TransactionResult Grant(Core.Crypto.SigningKey by, long epsilon) =>
        _f.Run(by, "stats.grant_budget", $$"""{"analyst":"{{ResearchFixture.Researcher}}","epsilon":{{epsilon}}}""");

    // The analyst's own organisation (the sponsor's node) spends for it.
    private TransactionResult Spend(long epsilon, Core.Crypto.SigningKey? by = null) =>
        _f.Run(by ?? _f.SponsorKey, "stats.spend", $$"""{"analyst":"{{ResearchFixture.Researcher}}","query":"{{Testing.TestChain.RandomHash()}}","epsilon":{{epsilon}}}""");
}
