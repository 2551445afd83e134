using CareLedger.Contracts;
using CareLedger.Contracts.Genomics;
using CareLedger.Contracts.Insurance;
using CareLedger.Core.Ledger;
using CareLedger.Ledger.Tests.Insurance;
using CareLedger.Ledger.Tests.SupplyChain;

namespace CareLedger.Ledger.Tests.Research;

public sealed class GenomicsContractTests : IDisposable
{
    private const string Dataset = "dataset:wgs-0001";
    private readonly ResearchFixture _f = new();

    public GenomicsContractTests() =>
        SupplyFixture.Ok(_f.Run(_f.Hospital, "gen.register",
            $$"""{"dataset":"{{Dataset}}","owner":"{{_f.Insurance.Patient}}","saltedHash":"{{Testing.TestChain.RandomHash()}}","assay":"wgs","referenceBuild":"grch38","coverage":30,"format":"vcf"}"""));

    public void Dispose() => _f.Dispose();

    [Fact]
    public void Only_the_custodians_key_registers_and_only_the_owner_lists()
    {
        var args = $$"""{"dataset":"dataset:wgs-0002","owner":"{{_f.Insurance.Patient}}","saltedHash":"{{Testing.TestChain.RandomHash()}}","assay":"wgs","referenceBuild":"grch38","coverage":30,"format":"vcf"}""";
        Assert.Equal(GenomicsErrors.NotAuthorised, _f.Run(_f.Insurance.PatientKey, "gen.register", args).Code);
        Assert.Equal(GenomicsErrors.NotAuthorised, _f.Run(_f.SponsorKey, "gen.register", args).Code);
        Assert.Equal(GenomicsErrors.BadDataset, _f.Run(_f.Hospital, "gen.register", args.Replace("patient:", "patient:0", StringComparison.Ordinal)).Code);

        Assert.Equal(GenomicsErrors.NotAuthorised, List(_f.Hospital).Code);
        Assert.Equal(GenomicsErrors.NotAuthorised, List(_f.Insurance.DoctorKey).Code);
        SupplyFixture.Ok(List());
        Assert.Equal(25_000, GenomicsContract.Dataset(_f.Chain.Engine.State, Dataset).Listing!.Price);
    }

    [Fact]
    public void A_request_for_a_purpose_or_use_the_owner_did_not_permit_is_refused()
    {
        Assert.Equal(GenomicsErrors.NotListed, Request("greq:r0").Code);
        SupplyFixture.Ok(List());
        Assert.Equal(GenomicsErrors.PurposeNotPermitted, Request("greq:r1", purpose: "ancestry").Code);
        Assert.Equal(GenomicsErrors.PurposeNotPermitted, Request("greq:r2", commercial: true).Code);
        Assert.Equal(GenomicsErrors.NotAuthorised, _f.Run(_f.Insurance.PatientKey, "gen.request",
            $$"""{"request":"greq:r3","dataset":"{{Dataset}}","purpose":"disease_research","commercial":false}""").Code);
    }

    [Fact]
    public void Approval_pays_the_owner_before_a_grant_exists()
    {
        SupplyFixture.Ok(List());
        SupplyFixture.Ok(Request("greq:r1"));
        Assert.Equal(GenomicsErrors.NotAuthorised, Decide("greq:r1", true, _f.SponsorKey).Code);

        Assert.Equal(InsuranceErrors.InsufficientFunds, Decide("greq:r1", true).Code);
        Assert.Null(_f.Chain.Engine.State.Get(GenomicsKeys.Grant("greq:r1")));

        SupplyFixture.Ok(_f.Run(_f.SponsorKey, "ins.fund", """{"amount":100000,"currency":"USD"}"""));
        var approved = Decide("greq:r1", true);
        SupplyFixture.Ok(approved);

        Assert.Equal(25_000, SettlementLedger.Balance(_f.Chain.Engine.State, _f.Insurance.Patient, "USD"));
        Assert.Equal(75_000, SettlementLedger.Balance(_f.Chain.Engine.State, ResearchFixture.Sponsor, "USD"));
        var grant = StateJson.Read<GenomicGrant>(_f.Chain.Engine.State.Get(GenomicsKeys.Grant("greq:r1")))!;
        Assert.Equal((ResearchFixture.Researcher, 25_000L, _f.Chain.Now + (30 * InsuranceFixture.Day)), (grant.Grantee, grant.Paid, grant.Expires));
        Assert.Equal(25_000, GenomicsContract.Dataset(_f.Chain.Engine.State, Dataset).Earned);
        Assert.Equal(GenomicsErrors.BadRequest, Decide("greq:r1", true).Code);
    }

    [Fact]
    public void A_standing_rule_approves_and_charges_at_once_and_a_denial_grants_nothing()
    {
        SupplyFixture.Ok(_f.Run(_f.SponsorKey, "ins.fund", """{"amount":100000,"currency":"USD"}"""));
        SupplyFixture.Ok(List(autoApprove: true));
        var request = Request("greq:auto");
        SupplyFixture.Ok(request);
        Assert.Contains(request.Events, e => e.Type == "gen.granted");
        Assert.Equal(25_000, SettlementLedger.Balance(_f.Chain.Engine.State, _f.Insurance.Patient, "USD"));

        SupplyFixture.Ok(List());
        SupplyFixture.Ok(Request("greq:manual"));
        SupplyFixture.Ok(Decide("greq:manual", false));
        Assert.Null(_f.Chain.Engine.State.Get(GenomicsKeys.Grant("greq:manual")));
        Assert.Equal("denied", StateJson.Read<GenomicRequest>(_f.Chain.Engine.State.Get(GenomicsKeys.Request("greq:manual")))!.Status);
    }

    [Fact]
    public void Every_download_attempt_is_recorded_and_released_only_under_an_active_unexpired_grant_to_the_grantee()
    {
        SupplyFixture.Ok(_f.Run(_f.SponsorKey, "ins.fund", """{"amount":100000,"currency":"USD"}"""));
        SupplyFixture.Ok(List(autoApprove: true));
        SupplyFixture.Ok(Request("greq:a"));
        SupplyFixture.Ok(Request("greq:b"));

        Assert.Equal((true, "grant"), Access("greq:a", ResearchFixture.Researcher));
        Assert.Equal((false, GenomicsErrors.NotGrantee), Access("greq:a", InsuranceFixture.Doctor));
        Assert.Equal(GenomicsErrors.NotAuthorised, _f.Run(_f.SponsorKey, "gen.access", $$"""{"grant":"greq:a","accessor":"{{ResearchFixture.Researcher}}"}""").Code);

        SupplyFixture.Ok(_f.Run(_f.Insurance.PatientKey, "gen.revoke", """{"grant":"greq:a"}"""));
        Assert.Equal((false, GenomicsErrors.GrantRevoked), Access("greq:a", ResearchFixture.Researcher));

        _f.Chain.Advance(TimeSpan.FromDays(31));
        Assert.Equal((false, GenomicsErrors.GrantExpired), Access("greq:b", ResearchFixture.Researcher));

        SupplyFixture.Ok(_f.Run(_f.Insurance.PatientKey, "gen.withdraw", $$"""{"dataset":"{{Dataset}}"}"""));
        Assert.Equal((false, GenomicsErrors.DatasetWithdrawn), Access("greq:b", ResearchFixture.Researcher));

        var log = _f.Chain.Store.ScanState(GenomicsKeys.AccessPrefix(Dataset), 100).Select(r => StateJson.Read<GenomicAccess>(r.Value)!).ToList();
        Assert.Equal(5, log.Count);
        Assert.Single(log, a => a.Permit);
        Assert.Equal(1, StateJson.Read<GenomicGrant>(_f.Chain.Engine.State.Get(GenomicsKeys.Grant("greq:a")))!.Downloads);
    }

    [Fact]
    public void An_asker_gets_a_bounded_number_of_variant_answers_a_day()
    {
        var query = """{"variant":"17:43045712:G:A","asker":"member:dr-novak","suppressed":true}""";
        for (var i = 0; i < GenomicsContract.MaxQueriesPerDay; i++)
        {
            Assert.Equal(TransactionStatus.Committed, _f.Run(_f.Hospital, "gen.beacon", query).Status);
        }
        Assert.Equal(GenomicsErrors.QueryBudgetExhausted, _f.Run(_f.Hospital, "gen.beacon", query).Code);
        Assert.Equal(TransactionStatus.Committed, _f.Run(_f.Hospital, "gen.beacon", query.Replace("dr-novak", "dr-other", StringComparison.Ordinal)).Status);
        _f.Chain.Advance(TimeSpan.FromDays(1));
        Assert.Equal(TransactionStatus.Committed, _f.Run(_f.Hospital, "gen.beacon", query).Status);
    }

    [Fact]
    public void A_beacon_answer_below_k_is_posted_only_as_suppressed()
    {
        Assert.Equal(GenomicsErrors.SmallCount, _f.Run(_f.Hospital, "gen.beacon", """{"variant":"17:43045712:G:A","asker":"member:dr-novak","count":2}""").Code);
        Assert.Equal(GenomicsErrors.BadDataset, _f.Run(_f.Hospital, "gen.beacon", """{"variant":"17:43045712:G","asker":"member:dr-novak","suppressed":true}""").Code);
        var posted = _f.Run(_f.Hospital, "gen.beacon", """{"variant":"chr17:43045712:G:A","asker":"member:dr-novak","suppressed":true}""");
        SupplyFixture.Ok(posted);

        var query = StateJson.Read<BeaconQuery>(_f.Chain.Engine.State.Get(GenomicsKeys.Query(posted.TransactionId.ToString())))!;
        Assert.Equal(("17:43045712:G:A", (int?)null), (query.Variant, query.Count));
    }

    private TransactionResult List(Core.Crypto.SigningKey? by = null, bool autoApprove = false) =>
        _f.Run(by ?? _f.Insurance.PatientKey, "gen.list",
            $$"""{"dataset":"{{Dataset}}","price":25000,"currency":"USD","purposes":["disease_research","methods_development"],"durationDays":30,"commercial":false,"autoApprove":{{(autoApprove ? "true" : "false")}},"beacon":true}""");

    private TransactionResult Request(string id, string purpose = "disease_research", bool commercial = false) =>
        _f.Run(_f.ResearcherKey, "gen.request",
            $$"""{"request":"{{id}}","dataset":"{{Dataset}}","purpose":"{{purpose}}","commercial":{{(commercial ? "true" : "false")}}}""");

    private TransactionResult Decide(string id, bool approve, Core.Crypto.SigningKey? by = null) =>
        _f.Run(by ?? _f.Insurance.PatientKey, "gen.decide", $$"""{"request":"{{id}}","approve":{{(approve ? "true" : "false")}}}""");

    private (bool Permit, string Reason) Access(string grant, string accessor)
    {
        var result = _f.Run(_f.Hospital, "gen.access", $$"""{"grant":"{{grant}}","accessor":"{{accessor}}"}""");
        SupplyFixture.Ok(result);
        var e = result.Events.Single(e => e.Type == "gen.accessed");
        return (e.Attributes["permit"] == "true", e.Attributes["reason"]);
    }
}
