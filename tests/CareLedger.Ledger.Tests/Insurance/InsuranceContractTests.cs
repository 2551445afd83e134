using CareLedger.Contracts.Insurance;
using CareLedger.Core.Crypto;
using CareLedger.Ledger.Tests.SupplyChain;

namespace CareLedger.Ledger.Tests.Insurance;

public sealed class InsuranceContractTests : IDisposable
{
    private readonly InsuranceFixture _f = new();

    public void Dispose() => _f.Dispose();

    private static (string Status, string? Reason, long Payer, long Patient) Outcome(ClaimLine l) => (l.Status, l.Reason, l.PayerAmount, l.PatientAmount);

    [Fact]
    public void Each_line_is_adjudicated_by_the_plan_and_the_approved_amount_is_paid_at_once()
    {
        SupplyFixture.Ok(_f.Claim("claim:c1", null, ("99213", 1, 20_000, 1), ("80053", 1, 5_000, 1), ("12345", 1, 100, 1), ("J3490", 1, 100, 1), ("70553", 1, 150_000, 1)));
        var lines = _f.ClaimRecord("claim:c1").Lines;
        Assert.Equal(("approved", (string?)null, 12_500L, 2_500L), Outcome(lines[0]));
        Assert.Equal(("approved", (string?)null, 0L, 4_000L), Outcome(lines[1]));
        Assert.Equal(("denied", Carc.NotInPlan), (lines[2].Status, lines[2].Reason));
        Assert.Equal(("denied", Carc.NonCovered), (lines[3].Status, lines[3].Reason));
        Assert.Equal(("denied", Carc.NoAuthorisation), (lines[4].Status, lines[4].Reason));
        Assert.Contains(lines[1].Explanation, e => e.StartsWith("deductible: 4000", StringComparison.Ordinal));

        Assert.Equal(12_500, _f.Balance(InsuranceFixture.Hospital));
        Assert.Equal(10_000_000 - 12_500, _f.Balance(InsuranceFixture.Insurer));
        var payment = _f.Journal().Single(j => j.Claim == "claim:c1");
        Assert.Equal((InsuranceFixture.Insurer, InsuranceFixture.Hospital, 12_500L, 1), (payment.From, payment.To, payment.Amount, payment.Line!.Value));
        var acc = ClaimAdjudicator.Accumulators(_f.Chain.Engine.State, "policy:p1", _f.Chain.Now);
        Assert.Equal((4_000L, 6_500L, 12_500L), (acc.Deductible, acc.OutOfPocket, acc.PayerPaid));

        // The same visit again, on another claim: a duplicate, never paid twice.
        SupplyFixture.Ok(_f.Claim("claim:c2", null, ("99213", 1, 20_000, 1)));
        Assert.Equal(("denied", Carc.Duplicate), (_f.ClaimRecord("claim:c2").Lines[0].Status, _f.ClaimRecord("claim:c2").Lines[0].Reason));
        Assert.Equal(12_500, _f.Balance(InsuranceFixture.Hospital));
        Assert.Equal(InsuranceErrors.Exists, _f.Claim("claim:c1", null, ("99213", 1, 20_000, 2)).Code);
    }

    [Fact]
    public void Bad_claims_are_refused_whole_and_only_providers_claim()
    {
        Assert.Equal(InsuranceErrors.BadClaim, _f.Claim("claim:x", null, ("99213", 1, 0, 1)).Code);
        Assert.Equal(InsuranceErrors.BadClaim, _f.Claim("claim:x", null, ("99213", 1, 100, -3)).Code);
        Assert.Equal(InsuranceErrors.BadClaim, _f.Claim("bad id", null, ("99213", 1, 100, 1)).Code);
        Assert.Equal(InsuranceErrors.BadClaim, _f.Run(_f.Chain.OrgKeys[0], "ins.submit_claim",
            $$"""{"claim":"claim:x","policy":"policy:p1","practitioner":"{{InsuranceFixture.Doctor}}","record":"rec:none","lines":[{"code":"99213","billed":100,"serviceDate":{{_f.Chain.Now - 1000}}}]}""").Code);
        Assert.Equal(InsuranceErrors.NotAuthorised, _f.Claim("claim:x", _f.InsurerKey, ("99213", 1, 100, 1)).Code);
        Assert.Equal(InsuranceErrors.NotAuthorised, _f.Claim("claim:x", _f.PatientKey, ("99213", 1, 100, 1)).Code);
        Assert.Equal(InsuranceErrors.NotAuthorised, _f.Claim("claim:x", _f.Supply.Manufacturer, ("99213", 1, 100, 1)).Code);
        Assert.Null(_f.Chain.Engine.State.Get(InsuranceKeys.Claim("claim:x")));
        Assert.Equal(0, _f.Balance(InsuranceFixture.Hospital));
    }

    [Fact]
    public void Prior_authorisation_then_a_pended_line_that_a_claims_officer_approves()
    {
        SupplyFixture.Ok(_f.Run(_f.Chain.OrgKeys[0], "ins.request_prior_auth",
            """{"request":"pa:mri-1","policy":"policy:p1","code":"70553","quantity":1,"practitioner":"member:dr-lee"}"""));
        Assert.Equal(InsuranceErrors.NotAuthorised, _f.Run(_f.Chain.OrgKeys[0], "ins.decide_prior_auth", """{"request":"pa:mri-1","approve":true,"validUntil":1}""").Code);
        SupplyFixture.Ok(_f.Run(_f.InsurerKey, "ins.decide_prior_auth", $$"""{"request":"pa:mri-1","approve":true,"validUntil":{{_f.Chain.Now + (30 * InsuranceFixture.Day)}}}"""));

        SupplyFixture.Ok(_f.Claim("claim:mri", null, ("70553", 1, 150_000, 0)));
        var pended = _f.ClaimRecord("claim:mri").Lines[0];
        Assert.Equal(("pended", Carc.PendReview, 120_000L), (pended.Status, pended.Reason, pended.Allowed));
        Assert.Equal(0, _f.Balance(InsuranceFixture.Hospital));

        // A second MRI: the authorisation (one unit) is used up.
        SupplyFixture.Ok(_f.Claim("claim:mri-2", null, ("70553", 1, 150_000, 1)));
        Assert.Equal(Carc.NoAuthorisation, _f.ClaimRecord("claim:mri-2").Lines[0].Reason);

        Assert.Equal(InsuranceErrors.NotAuthorised, _f.Run(_f.Chain.OrgKeys[0], "ins.decide_line", """{"claim":"claim:mri","line":1,"approve":true}""").Code);
        SupplyFixture.Ok(_f.Run(_f.InsurerKey, "ins.decide_line", """{"claim":"claim:mri","line":1,"approve":true}"""));
        Assert.Equal(("approved", (string?)null, 56_000L, 64_000L), Outcome(_f.ClaimRecord("claim:mri").Lines[0]));
        Assert.Equal(56_000, _f.Balance(InsuranceFixture.Hospital));
        Assert.Equal(InsuranceErrors.NotPended, _f.Run(_f.InsurerKey, "ins.decide_line", """{"claim":"claim:mri","line":1,"approve":true}""").Code);
    }

    [Fact]
    public void A_line_an_officer_denies_can_be_claimed_again_and_one_that_was_paid_cannot()
    {
        using var f = new InsuranceFixture(InsuranceFixture.PlanJson(pendAbove: 10_000));
        SupplyFixture.Ok(f.Claim("claim:a", null, ("99213", 1, 20_000, 1)));
        Assert.Equal("pended", f.ClaimRecord("claim:a").Lines[0].Status);
        Assert.Equal(Carc.Duplicate, Resubmit("claim:b"));
        SupplyFixture.Ok(f.Run(f.InsurerKey, "ins.decide_line", """{"claim":"claim:a","line":1,"approve":false,"reason":"16"}"""));
        Assert.Equal("pended", Resubmit("claim:c"));
        SupplyFixture.Ok(f.Run(f.InsurerKey, "ins.decide_line", """{"claim":"claim:c","line":1,"approve":true}"""));
        Assert.Equal(Carc.Duplicate, Resubmit("claim:d"));

        string? Resubmit(string id)
        {
            SupplyFixture.Ok(f.Claim(id, null, ("99213", 1, 20_000, 1)));
            var line = f.ClaimRecord(id).Lines[0];
            return line.Status == "denied" ? line.Reason : line.Status;
        }
    }

    private Core.Ledger.TransactionResult ClaimWith(string id, SigningKey by, string practitioner, string code, string? link = null, int quantity = 1) =>
        _f.Run(by, "ins.submit_claim",
            $$"""{"claim":"{{id}}","policy":"policy:p1","practitioner":"{{practitioner}}","lines":[{"code":"{{code}}","quantity":{{quantity}},"billed":20000,"serviceDate":{{_f.Chain.Now - InsuranceFixture.Day}}{{(link is null ? "" : $",\"link\":\"{link}\"")}}}]}""");

    // A line's status, or its CARC when denied.
    private string Line(string claim) => _f.ClaimRecord(claim).Lines[0] is { Status: "denied" } denied ? denied.Reason! : _f.ClaimRecord(claim).Lines[0].Status;

    [Fact]
    public void The_same_service_billed_again_with_other_free_text_or_units_is_a_duplicate()
    {
        SupplyFixture.Ok(ClaimWith("claim:d1", _f.Chain.OrgKeys[0], InsuranceFixture.Doctor, "99213", link: "visit 1"));
        Assert.Equal("approved", Line("claim:d1"));
        SupplyFixture.Ok(ClaimWith("claim:d2", _f.Chain.OrgKeys[0], InsuranceFixture.Doctor, "99213", link: "follow-up, room 4"));
        SupplyFixture.Ok(ClaimWith("claim:d3", _f.Chain.OrgKeys[0], InsuranceFixture.Doctor, "99213", quantity: 2));
        Assert.Equal((Carc.Duplicate, Carc.Duplicate), (Line("claim:d2"), Line("claim:d3")));
    }

    [Fact]
    public void A_provider_bills_only_for_its_own_practitioners_its_kind_of_service_and_patients_it_treated()
    {
        var clinic = SigningKey.Generate();
        SupplyFixture.Ok(_f.Run(_f.Chain.OrgKeys[0], "identity.propose_organisation",
            $$"""{"organisation":"org:quick-clinic","kind":"Clinic","governing":false,"publicKeys":["{{Convert.ToBase64String(clinic.PublicKey.SubjectPublicKeyInfo)}}"]}"""));
        // A clinic billing with the hospital's doctor, who never worked there.
        SupplyFixture.Ok(ClaimWith("claim:borrowed", clinic, InsuranceFixture.Doctor, "99213"));
        Assert.Equal(Carc.ProviderNotEligible, Line("claim:borrowed"));
        // Employed there now, but the clinic has no record of ever treating the patient.
        SupplyFixture.Ok(_f.Run(clinic, "cred.attest_employment",
            $$"""{"member":"{{InsuranceFixture.Doctor}}","role":"locum","from":{{_f.Chain.Now - (30 * InsuranceFixture.Day)}}}"""));
        SupplyFixture.Ok(ClaimWith("claim:no-visit", clinic, InsuranceFixture.Doctor, "99213"));
        Assert.Equal(Carc.LacksInformation, Line("claim:no-visit"));
        // A pharmacy billing a physician's office visit, with its (licensed) pharmacist.
        SupplyFixture.Ok(ClaimWith("claim:pharmacy-visit", _f.Supply.Pharmacy, SupplyFixture.PharmacistId, "99213"));
        Assert.Equal(Carc.ProviderType, Line("claim:pharmacy-visit"));
        // The hospital billing an office visit rendered by a pharmacist it employs.
        SupplyFixture.Ok(_f.Run(_f.Chain.OrgKeys[0], "cred.attest_employment",
            $$"""{"member":"{{SupplyFixture.PharmacistId}}","role":"ward_pharmacist","from":{{_f.Chain.Now - (30 * InsuranceFixture.Day)}}}"""));
        SupplyFixture.Ok(ClaimWith("claim:pharmacist-visit", _f.Chain.OrgKeys[0], SupplyFixture.PharmacistId, "99213"));
        Assert.Equal(Carc.RenderingNotEligible, Line("claim:pharmacist-visit"));
        Assert.Equal(10_000_000, _f.Balance(InsuranceFixture.Insurer));
        clinic.Dispose();
    }

    [Fact]
    public void Network_coverage_dates_waiting_and_plan_versions_decide_the_rates()
    {
        var clinic = SigningKey.Generate();
        SupplyFixture.Ok(_f.Run(_f.Chain.OrgKeys[0], "identity.propose_organisation",
            $$"""{"organisation":"org:riverside-clinic","kind":"Clinic","governing":false,"publicKeys":["{{Convert.ToBase64String(clinic.PublicKey.SubjectPublicKeyInfo)}}"]}"""));
        // Dr Lee also works at the clinic, which (with the patient's consent) recorded the visit.
        SupplyFixture.Ok(_f.Run(clinic, "cred.attest_employment",
            $$"""{"member":"{{InsuranceFixture.Doctor}}","role":"locum","from":{{_f.Chain.Now - (30 * InsuranceFixture.Day)}}}"""));
        SupplyFixture.Ok(_f.Run(_f.PatientKey, "consent.grant",
            $$"""{"patient":"{{_f.Patient}}","grantee":{"kind":"organisation","id":"org:riverside-clinic"},"actions":["append"],"purposes":["TREAT"],"expires":{{_f.Chain.Now + InsuranceFixture.Day}}}"""));
        SupplyFixture.Ok(_f.Run(clinic, "records.register",
            $$"""{"patient":"{{_f.Patient}}","category":"encounter","resourceType":"Encounter","saltedHash":"{{Testing.TestChain.RandomHash()}}"}"""));
        SupplyFixture.Ok(_f.Claim("claim:oon", clinic, ("99213", 1, 20_000, 1), ("80053", 1, 5_000, 1)));
        var oon = _f.ClaimRecord("claim:oon").Lines;
        Assert.Equal(("approved", (string?)null, 5_500L, 2_500L), Outcome(oon[0]));
        Assert.Equal(Carc.OutOfNetwork, oon[1].Reason);

        SupplyFixture.Ok(_f.Claim("claim:early", null, ("99213", 1, 20_000, 250)));
        Assert.Equal(Carc.BeforeCoverage, _f.ClaimRecord("claim:early").Lines[0].Reason);

        // A new version with a higher copay applies to services from its date on; earlier services keep the old rules.
        Assert.Equal(InsuranceErrors.BadPlan, _f.Run(_f.InsurerKey, "ins.publish_plan", InsuranceFixture.PlanJson(effectiveFrom: _f.Chain.Now - 1000, officeCopay: 4000)).Code);
        SupplyFixture.Ok(_f.Run(_f.InsurerKey, "ins.publish_plan", InsuranceFixture.PlanJson(effectiveFrom: _f.Chain.Now + 2000, officeCopay: 4000)));
        _f.Chain.Advance(TimeSpan.FromDays(1));
        SupplyFixture.Ok(_f.Claim("claim:v", null, ("99213", 1, 20_000, 2), ("99213", 1, 20_000, 0)));
        var v = _f.ClaimRecord("claim:v").Lines;
        Assert.Equal((2_500L, 4_000L), (v[0].PatientAmount, v[1].PatientAmount));
        Assert.Equal(InsuranceErrors.NotAuthorised, _f.Run(clinic, "ins.publish_plan", InsuranceFixture.PlanJson(effectiveFrom: _f.Chain.Now + 9000)).Code);
        Assert.Equal(InsuranceErrors.BadPlan, _f.Run(_f.InsurerKey, "ins.publish_plan",
            InsuranceFixture.PlanJson(effectiveFrom: _f.Chain.Now + 9000).Replace("\"copay\":500", "\"copay\":500,\"payerPercent\":50", StringComparison.Ordinal)).Code);
        clinic.Dispose();
    }

    [Fact]
    public void Units_per_year_and_the_practitioners_licence_are_enforced()
    {
        SupplyFixture.Ok(_f.Claim("claim:labs", null, ("80053", 5, 25_000, 1)));
        Assert.Equal(Carc.BenefitMaximum, _f.ClaimRecord("claim:labs").Lines[0].Reason);
        SupplyFixture.Ok(_f.Run(_f.Supply.Board, "cred.suspend", $$"""{"credential":"{{_f.DoctorLicence}}","reason":"under investigation"}"""));
        SupplyFixture.Ok(_f.Claim("claim:b7", null, ("99213", 1, 20_000, 1)));
        var line = _f.ClaimRecord("claim:b7").Lines[0];
        Assert.Equal((Carc.ProviderNotEligible, 0L), (line.Reason, line.PayerAmount));
        Assert.Contains("suspended", line.Explanation[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Without_funds_a_line_pends_and_is_paid_once_the_insurer_funds_its_account()
    {
        using var f = new InsuranceFixture(funding: 0);
        SupplyFixture.Ok(f.Claim("claim:c1", null, ("99213", 1, 20_000, 1)));
        Assert.Equal(("pended", Carc.PendFunds), (f.ClaimRecord("claim:c1").Lines[0].Status, f.ClaimRecord("claim:c1").Lines[0].Reason));
        Assert.Equal(InsuranceErrors.InsufficientFunds, f.Run(f.InsurerKey, "ins.decide_line", """{"claim":"claim:c1","line":1,"approve":true}""").Code);
        Assert.Equal(InsuranceErrors.InsufficientFunds, f.Run(f.Chain.OrgKeys[0], "ins.withdraw", """{"amount":1,"currency":"USD"}""").Code);
        SupplyFixture.Ok(f.Run(f.InsurerKey, "ins.fund", """{"amount":10000,"currency":"USD"}"""));
        Assert.Equal(InsuranceErrors.InsufficientFunds, f.Run(f.InsurerKey, "ins.decide_line", """{"claim":"claim:c1","line":1,"approve":true}""").Code);
        SupplyFixture.Ok(f.Run(f.InsurerKey, "ins.fund", """{"amount":2500,"currency":"USD"}"""));
        SupplyFixture.Ok(f.Run(f.InsurerKey, "ins.decide_line", """{"claim":"claim:c1","line":1,"approve":true}"""));
        Assert.Equal((0L, 12_500L), (f.Balance(InsuranceFixture.Insurer), f.Balance(InsuranceFixture.Hospital)));
        SupplyFixture.Ok(f.Run(f.Chain.OrgKeys[0], "ins.withdraw", """{"amount":12500,"currency":"USD"}"""));
        Assert.Equal((0L, 0L, 0L), (f.Balance(SettlementLedger.External), f.Balance(InsuranceFixture.Hospital), f.Balance(InsuranceFixture.Insurer)));
        Assert.Equal(InsuranceErrors.BadAmount, f.Run(f.InsurerKey, "ins.fund", """{"amount":-5,"currency":"USD"}""").Code);
    }

    [Fact]
    public void A_dispense_against_a_covered_prescription_raises_and_pays_the_pharmacy_claim()
    {
        SupplyFixture.Ok(_f.Run(_f.PatientKey, "consent.grant",
            $$"""{"patient":"{{_f.Patient}}","grantee":{"kind":"member","id":"{{InsuranceFixture.Doctor}}"},"actions":["append"],"purposes":["TREAT"],"expires":{{_f.Chain.Now + (90 * InsuranceFixture.Day)}}}"""));
        SupplyFixture.Ok(_f.Run(_f.DoctorKey, "rx.prescribe",
            $$"""{"prescription":"rx:1","patient":"{{_f.Patient}}","gtin":"{{SupplyFixture.Gtin}}","packagesPerFill":2,"refills":0,"expires":{{_f.Chain.Now + (30 * InsuranceFixture.Day)}}}"""));
        _f.Supply.Commission("L1", "S1", "S2");
        _f.Supply.Stock("S1", "S2");
        var dispensed = _f.Run(_f.Supply.PharmacistKey, "rx.dispense",
            $$"""{"prescription":"rx:1","price":1500,"units":["{{SupplyFixture.Gtin}}/S1","{{SupplyFixture.Gtin}}/S2"]}""");
        SupplyFixture.Ok(dispensed);
        var claim = _f.ClaimRecord($"claim:rx-{dispensed.TransactionId.ToString()[..24]}");
        Assert.Equal(("org:city-pharmacy", SupplyFixture.PharmacistId, "rx:1"), (claim.Provider, claim.Practitioner, claim.Prescription));
        Assert.Equal(("approved", (string?)null, 1_900L, 500L), Outcome(claim.Lines[0]));
        Assert.Equal(1_900, _f.Balance("org:city-pharmacy"));
    }

    [Fact]
    public void An_insurance_card_signed_by_the_insurer_is_kept_with_the_policy_and_a_wrong_one_is_refused()
    {
        var policy = new PolicyRecord("policy:p2", InsuranceFixture.Insurer, "plan:gold", _f.Patient, "AH-000777", _f.Chain.Now, _f.Chain.Now + (365 * InsuranceFixture.Day), null);
        var card = InsuranceCard.Sign(_f.Chain.Genesis.Chain, policy, _f.InsurerKey);
        string Enrol(string id, string memberId, string token) => _f.Run(_f.InsurerKey, "ins.enrol",
            $$"""{"policy":"{{id}}","plan":"plan:gold","patient":"{{_f.Patient}}","memberId":"{{memberId}}","start":{{policy.Start}},"end":{{policy.End}},"card":"{{token}}"}""").Code ?? "ok";
        Assert.Equal(InsuranceErrors.BadCard, Enrol("policy:p3", "AH-000777", card));
        Assert.Equal(InsuranceErrors.BadCard, Enrol("policy:p2", "AH-000778", card));
        Assert.Equal(InsuranceErrors.BadCard, Enrol("policy:p2", "AH-000777", InsuranceCard.Sign(_f.Chain.Genesis.Chain, policy, _f.Supply.Board)));
        Assert.Equal(InsuranceErrors.BadCard, Enrol("policy:p2", "AH-000777", "not.a.card"));
        Assert.Equal("ok", Enrol("policy:p2", "AH-000777", card));
        Assert.Equal(card, InsuranceContract.Policy(_f.Chain.Engine.State, "policy:p2").Card);
    }
}
