using System.Text.RegularExpressions;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Identity;
using CareLedger.Core.Encoding;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.Insurance;

/// <summary>
/// Health insurance settled by contract rules. An insurer publishes plan versions as data, enrols patients (under
/// their pseudonyms) with a signed insurance card, funds its settlement account and decides prior authorisations and
/// pended lines; providers submit claims, adjudicated line by line in the same step (<see cref="ClaimAdjudicator"/>),
/// approved amounts paid at once; a pharmacy's dispense raises its claim itself (<see cref="RaisePharmacyClaim"/>).
/// </summary>
public sealed partial class InsuranceContract : IContract
{
    private const int MaxLines = 50;

    [GeneratedRegex("^(plan|policy|claim|pa):[a-z0-9._-]{1,60}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();

    [GeneratedRegex("^[A-Za-z0-9.-]{1,20}$")]
    private static partial Regex CodePattern();

    public string Name => "ins";

    public bool Handles(string action) => action is "publish_plan" or "enrol" or "end_policy" or "fund" or "withdraw" or "submit_claim" or "decide_line"
        or "request_prior_auth" or "decide_prior_auth";

    public void Execute(ContractCall call)
    {
        var caller = Caller.Resolve(call.State, call.Transaction.Signer) is { Kind: not "patient" } c ? c
            : throw ContractCall.Reject(InsuranceErrors.NotAuthorised, "Insurance transactions are signed by an organisation or its staff.");
        var org = StateJson.Read<OrganisationRecord>(call.State.Get(IdentityKeys.Organisation(caller.Organisation)))!;
        switch (call.Action)
        {
            case "publish_plan": PublishPlan(call, Insurer(caller, org, Roles.InsuranceAdmin)); break;
            case "enrol": Enrol(call, Insurer(caller, org, Roles.InsuranceAdmin)); break;
            case "end_policy": EndPolicy(call, Insurer(caller, org, Roles.InsuranceAdmin)); break;
            case "fund": Fund(call, caller.Kind == "organisation" ? org.Id : Insurer(caller, org, Roles.InsuranceAdmin)); break;
            case "withdraw": Withdraw(call, caller); break;
            case "decide_line": DecideLine(call, Insurer(caller, org, Roles.ClaimsOfficer)); break;
            case "decide_prior_auth": DecidePriorAuthorisation(call, Insurer(caller, org, Roles.ClaimsOfficer)); break;
            case "submit_claim": SubmitClaim(call, Provider(caller, org)); break;
            case "request_prior_auth": RequestPriorAuthorisation(call, Provider(caller, org)); break;
        }
    }

    /// <summary>
    /// <c>ins.publish_plan {plan, name, currency, effectiveFrom, deductible, outOfPocketMax, annualLimit, waitingPeriodDays, pendAbove,
    /// network: [org], benefits: [{code, allowed, outOfNetworkAllowed?, copay? | payerPercent?, deductibleApplies, unitsPerYear?, priorAuth?, waitingPeriodDays?}],
    /// exclusions: [code]}</c>: a plan's first version, or a new version effective from a later date (never back-dated).
    /// </summary>
    private static void PublishPlan(ContractCall call, string insurer)
    {
        var id = call.Args.GetString("plan");
        var currency = call.Args.GetString("currency");
        var version = ReadVersion(call.Args);
        var existing = StateJson.Read<PlanRecord>(call.State.Get(InsuranceKeys.Plan(id)));
        if (!id.StartsWith("plan:", StringComparison.Ordinal) || !IdPattern().IsMatch(id) || !CurrencyPattern().IsMatch(currency))
        {
            throw ContractCall.Reject(InsuranceErrors.BadPlan, "plan is plan:…, currency an ISO 4217 code.");
        }
        if (existing is not null && (existing.Insurer != insurer || existing.Currency != currency))
        {
            throw ContractCall.Reject(InsuranceErrors.NotAuthorised, $"Plan {id} belongs to {existing.Insurer} in {existing.Currency}.");
        }
        if (existing is not null && (version.EffectiveFrom <= existing.Versions[^1].EffectiveFrom || version.EffectiveFrom < call.Block.Timestamp))
        {
            throw ContractCall.Reject(InsuranceErrors.BadPlan, "A new plan version takes effect after the last one and not before it is published.");
        }
        var plan = existing is null
            ? new PlanRecord(id, insurer, call.Args.GetString("name"), currency, [version])
            : existing with { Name = call.Args.GetString("name"), Versions = [.. existing.Versions, version] };
        call.State.Put(InsuranceKeys.Plan(id), StateJson.Write(plan));
        call.Emit("ins.plan_published", ("plan", id), ("insurer", insurer), ("version", plan.Versions.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static PlanVersion ReadVersion(TransactionArgs args)
    {
        var benefits = args.GetObjectArray("benefits").Select(b => new Benefit(b.GetString("code"), b.GetInt64("allowed"),
            b.Has("outOfNetworkAllowed") ? b.GetInt64("outOfNetworkAllowed") : null, b.Has("copay") ? b.GetInt64("copay") : null,
            b.Has("payerPercent") ? (int)b.GetInt64("payerPercent") : null, b.Has("deductibleApplies") && b.GetBoolean("deductibleApplies"),
            (int)b.GetInt64OrDefault("unitsPerYear", 0), b.Has("priorAuth") && b.GetBoolean("priorAuth"),
            b.Has("waitingPeriodDays") ? (int)b.GetInt64("waitingPeriodDays") : null)).ToList();
        var version = new PlanVersion(args.GetInt64("effectiveFrom"), args.GetInt64("deductible"), args.GetInt64("outOfPocketMax"), args.GetInt64OrDefault("annualLimit", 0),
            (int)args.GetInt64OrDefault("waitingPeriodDays", 0), args.GetInt64OrDefault("pendAbove", 0), args.GetStringArrayOrEmpty("network"), benefits,
            args.GetStringArrayOrEmpty("exclusions"));
        var valid = version is { Deductible: >= 0, OutOfPocketMax: > 0, AnnualLimit: >= 0, WaitingPeriodDays: >= 0 and <= 730, PendAbove: >= 0 }
            && version.Deductible <= version.OutOfPocketMax && benefits.Count is > 0 and <= 5000
            && benefits.Select(b => b.Code).Distinct(StringComparer.Ordinal).Count() == benefits.Count
            && benefits.All(b => CodePattern().IsMatch(b.Code) && b.Allowed > 0 && b.OutOfNetworkAllowed is null or > 0 && b.UnitsPerYear >= 0
                && (b.Copay is >= 0) != (b.PayerPercent is >= 0 and <= 100) && b.WaitingPeriodDays is null or >= 0 and <= 730)
            && version.Exclusions.All(CodePattern().IsMatch);
        return valid ? version : throw ContractCall.Reject(InsuranceErrors.BadPlan,
            "Amounts are non-negative minor units, deductible ≤ out-of-pocket maximum (> 0), 1-5000 benefits with distinct codes, each with an allowed amount > 0 and exactly one of copay or payerPercent (0-100).");
    }

    /// <summary>
    /// <c>ins.enrol {policy, plan, patient, memberId, start, end, card?}</c>: the patient's coverage under one of the insurer's
    /// plans. <c>card</c>, when given, is the insurance card the insurer signed (<see cref="InsuranceCard"/>), checked here.
    /// </summary>
    private static void Enrol(ContractCall call, string insurer)
    {
        var id = call.Args.GetString("policy");
        var planId = call.Args.GetString("plan");
        var patient = call.Args.GetString("patient");
        var memberId = call.Args.GetString("memberId");
        var (start, end) = (call.Args.GetInt64("start"), call.Args.GetInt64("end"));
        if (!id.StartsWith("policy:", StringComparison.Ordinal) || !IdPattern().IsMatch(id) || memberId.Length is 0 or > 40 || end <= start)
        {
            throw ContractCall.Reject(InsuranceErrors.BadPolicy, "policy is policy:…, memberId 1-40 characters, end after start.");
        }
        if (StateJson.Read<PlanRecord>(call.State.Get(InsuranceKeys.Plan(planId))) is not { } plan || plan.Insurer != insurer)
        {
            throw ContractCall.Reject(InsuranceErrors.BadPolicy, $"{insurer} has no plan {planId}.");
        }
        if (call.State.Get(IdentityKeys.Patient(patient)) is null)
        {
            throw ContractCall.Reject(InsuranceErrors.BadPolicy, $"No patient {patient}.");
        }
        if (call.State.Get(InsuranceKeys.Policy(id)) is not null)
        {
            throw ContractCall.Reject(InsuranceErrors.Exists, $"Policy {id} exists.");
        }
        var policy = new PolicyRecord(id, insurer, planId, patient, memberId, start, end, call.Args.GetOptionalString("card"));
        if (policy.Card is { } card && InsuranceCard.Check(card, policy, call.Transaction.Chain, call.State, call.Transaction.Signer) is { } problem)
        {
            throw ContractCall.Reject(InsuranceErrors.BadCard, problem);
        }
        call.State.Put(InsuranceKeys.Policy(id), StateJson.Write(policy));
        StateJson.AppendId(call.State, InsuranceKeys.PoliciesOf(patient), id);
        call.Emit("ins.enrolled", ("policy", id), ("patient", patient), ("plan", planId));
    }

    /// <summary><c>ins.end_policy {policy, end}</c>: coverage ends earlier (at <c>end</c>, not before now).</summary>
    private static void EndPolicy(ContractCall call, string insurer)
    {
        var policy = Policy(call.State, call.Args.GetString("policy"));
        var end = call.Args.GetInt64("end");
        if (policy.Insurer != insurer || end >= policy.End || end < Math.Max(policy.Start, call.Block.Timestamp))
        {
            throw ContractCall.Reject(InsuranceErrors.BadPolicy, "Only the insurer ends a policy, earlier than planned and not in the past.");
        }
        call.State.Put(InsuranceKeys.Policy(policy.Id), StateJson.Write(policy with { End = end }));
        call.Emit("ins.policy_ended", ("policy", policy.Id), ("patient", policy.Patient));
    }

    /// <summary>
    /// <c>ins.fund {amount, currency}</c>: money paid in from outside (by bank transfer, off the ledger) to an organisation's settlement
    /// account, signed by its own key (or an insurer's insurance_admin): an insurer's claims fund, a researcher's budget for data access.
    /// </summary>
    private static void Fund(ContractCall call, string owner) =>
        SettlementLedger.Transfer(call, SettlementLedger.External, owner, call.Args.GetInt64("amount"), Currency(call.Args), "funding");

    /// <summary><c>ins.withdraw {amount, currency}</c>: an organisation takes money out of its own settlement account.</summary>
    private static void Withdraw(ContractCall call, Caller caller)
    {
        if (caller.Kind != "organisation")
        {
            throw ContractCall.Reject(InsuranceErrors.NotAuthorised, "Only the organisation's own key withdraws.");
        }
        SettlementLedger.Transfer(call, caller.Organisation, SettlementLedger.External, call.Args.GetInt64("amount"), Currency(call.Args), "withdrawal");
    }

    /// <summary>
    /// <c>ins.submit_claim {claim, policy, practitioner, record?, lines: [{code, quantity, billed, serviceDate, link?}]}</c>, by a
    /// provider: every line is adjudicated now, and approved amounts are paid now.
    /// </summary>
    private static void SubmitClaim(ContractCall call, string provider)
    {
        var id = call.Args.GetString("claim");
        var policy = Policy(call.State, call.Args.GetString("policy"));
        var practitioner = call.Args.GetString("practitioner");
        IReadOnlyList<ClaimAdjudicator.LineRequest> lines = call.Args.GetObjectArray("lines").Select(l => new ClaimAdjudicator.LineRequest(l.GetString("code"),
            (int)l.GetInt64OrDefault("quantity", 1), l.GetInt64("billed"), l.GetInt64("serviceDate"), l.GetOptionalString("link"))).ToList();
        if (!id.StartsWith("claim:", StringComparison.Ordinal) || !IdPattern().IsMatch(id) || lines.Count is 0 or > MaxLines
            || lines.Any(l => !CodePattern().IsMatch(l.Code) || l.Quantity is < 1 or > 1000 || l.Billed <= 0 || l.ServiceDate > call.Block.Timestamp))
        {
            throw ContractCall.Reject(InsuranceErrors.BadClaim, $"claim is claim:…, 1-{MaxLines} lines, each with a code, 1-1000 units, a billed amount > 0 and a past date of service.");
        }
        if (call.State.Get(InsuranceKeys.Claim(id)) is not null)
        {
            throw ContractCall.Reject(InsuranceErrors.Exists, $"Claim {id} exists.");
        }
        if (call.State.Get(IdentityKeys.Member(practitioner)) is null)
        {
            throw ContractCall.Reject(InsuranceErrors.BadClaim, $"No practitioner {practitioner}.");
        }
        if (call.Args.GetOptionalString("record") is { } record)
        {
            var entry = StateJson.Read<Records.RecordEntry>(call.State.Get(Records.RecordKeys.Record(record)));
            if (entry is not { ResourceType: "Claim" } || entry.Patient != policy.Patient || entry.Custodian != provider)
            {
                throw ContractCall.Reject(InsuranceErrors.BadClaim, "record, when given, is the provider's FHIR Claim for this patient in its vault.");
            }
        }
        File(call, new ClaimRecord(id, policy.Id, policy.Patient, policy.Insurer, provider, practitioner, call.Args.GetOptionalString("record"), null,
            call.Block.Timestamp, call.Transaction.Id.ToString(), []), policy, lines);
    }

    /// <summary>
    /// The pharmacy claim a dispense raises by itself when the patient is eligible today for the product's GTIN
    /// (<see cref="Eligibility"/>): one line, at <paramref name="pricePerPackage"/> or the plan's rate. Nothing happens otherwise.
    /// </summary>
    public static void RaisePharmacyClaim(ContractCall call, string prescription, string patient, string pharmacy, string pharmacist, string gtin,
        int packages, long? pricePerPackage)
    {
        var now = call.Block.Timestamp;
        var coverage = Eligibility.Check(call.State, patient, gtin, now);
        if (!coverage.Eligible)
        {
            return;
        }
        var policy = Policy(call.State, coverage.Policy!);
        var billed = (pricePerPackage ?? coverage.Benefit!.Allowed) * packages;
        var claim = new ClaimRecord($"claim:rx-{call.Transaction.Id.ToString()[..24]}", policy.Id, patient, policy.Insurer, pharmacy, pharmacist, null,
            prescription, now, call.Transaction.Id.ToString(), []);
        File(call, claim, policy, [new ClaimAdjudicator.LineRequest(gtin, packages, billed, now, prescription)]);
    }

    private static void File(ContractCall call, ClaimRecord claim, PolicyRecord policy, IReadOnlyList<ClaimAdjudicator.LineRequest> lines)
    {
        var plan = StateJson.Read<PlanRecord>(call.State.Get(InsuranceKeys.Plan(policy.Plan)))!;
        var adjudicated = lines.Select((line, i) => ClaimAdjudicator.Adjudicate(call, claim, policy, plan, i + 1, line)).ToList();
        call.State.Put(InsuranceKeys.Claim(claim.Id), StateJson.Write(claim with { Lines = adjudicated }));
        StateJson.AppendId(call.State, InsuranceKeys.ClaimsOf(policy.Id), claim.Id);
        call.Emit("ins.claim_adjudicated", ("claim", claim.Id), ("provider", claim.Provider), ("insurer", claim.Insurer), ("patient", claim.Patient),
            ("approved", adjudicated.Count(l => l.Status == "approved").ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("pended", adjudicated.Count(l => l.Status == "pended").ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// <c>ins.decide_line {claim, line, approve, reason?}</c>, by the insurer's claims officer: a pended line is approved (and
    /// paid now, which needs the funds) or denied with a CARC reason.
    /// </summary>
    private static void DecideLine(ContractCall call, string insurer)
    {
        var claim = StateJson.Read<ClaimRecord>(call.State.Get(InsuranceKeys.Claim(call.Args.GetString("claim"))))
            ?? throw ContractCall.Reject(InsuranceErrors.Unknown, $"No claim {call.Args.GetString("claim")}.");
        var number = (int)call.Args.GetInt64("line");
        if (claim.Insurer != insurer)
        {
            throw ContractCall.Reject(InsuranceErrors.NotAuthorised, $"Claim {claim.Id} is for {claim.Insurer}.");
        }
        if (claim.Lines.FirstOrDefault(l => l.Number == number) is not { Status: "pended" } line)
        {
            throw ContractCall.Reject(InsuranceErrors.NotPended, $"Claim {claim.Id} has no pended line {number}.");
        }
        var officer = call.Transaction.Signer.ToString()[..16];
        ClaimLine decided;
        if (call.Args.GetBoolean("approve"))
        {
            var plan = StateJson.Read<PlanRecord>(call.State.Get(InsuranceKeys.Plan(Policy(call.State, claim.Policy).Plan)))!;
            decided = ClaimAdjudicator.Settle(call, claim, plan, line with { Explanation = [.. line.Explanation, $"approved by claims officer (key {officer}…)"] },
                pendIfUnfunded: false);
        }
        else
        {
            var reason = call.Args.GetOptionalString("reason");
            if (reason is null || !CodePattern().IsMatch(reason))
            {
                throw ContractCall.Reject(InsuranceErrors.BadClaim, "A denial gives a CARC reason code.");
            }
            decided = line with { Status = "denied", Reason = reason, Allowed = 0, Explanation = [.. line.Explanation, $"denied by claims officer (key {officer}…): {reason}"] };
            ClaimAdjudicator.Release(call, claim, line);
        }
        call.State.Put(InsuranceKeys.Claim(claim.Id), StateJson.Write(claim with { Lines = claim.Lines.Select(l => l.Number == number ? decided : l).ToList() }));
        call.Emit("ins.line_decided", ("claim", claim.Id), ("line", number.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("status", decided.Status));
    }

    /// <summary><c>ins.request_prior_auth {request, policy, code, quantity, practitioner}</c>, by a provider.</summary>
    private static void RequestPriorAuthorisation(ContractCall call, string provider)
    {
        var id = call.Args.GetString("request");
        var policy = Policy(call.State, call.Args.GetString("policy"));
        var code = call.Args.GetString("code");
        var quantity = call.Args.GetInt64("quantity");
        if (!id.StartsWith("pa:", StringComparison.Ordinal) || !IdPattern().IsMatch(id) || !CodePattern().IsMatch(code) || quantity is < 1 or > 1000)
        {
            throw ContractCall.Reject(InsuranceErrors.BadClaim, "request is pa:…, a code and 1-1000 units.");
        }
        if (call.State.Get(InsuranceKeys.PriorAuthorisation(id)) is not null)
        {
            throw ContractCall.Reject(InsuranceErrors.Exists, $"Prior authorisation {id} exists.");
        }
        var record = new PriorAuthorisationRecord(id, policy.Id, provider, call.Args.GetString("practitioner"), code, (int)quantity, 0, "requested", null, null);
        call.State.Put(InsuranceKeys.PriorAuthorisation(id), StateJson.Write(record));
        StateJson.AppendId(call.State, InsuranceKeys.PriorAuthorisationsOf(policy.Id), id);
        call.Emit("ins.prior_auth_requested", ("request", id), ("insurer", policy.Insurer), ("provider", provider));
    }

    /// <summary><c>ins.decide_prior_auth {request, approve, validUntil?, reason?}</c>, by the insurer's claims officer.</summary>
    private static void DecidePriorAuthorisation(ContractCall call, string insurer)
    {
        var id = call.Args.GetString("request");
        var pa = StateJson.Read<PriorAuthorisationRecord>(call.State.Get(InsuranceKeys.PriorAuthorisation(id)))
            ?? throw ContractCall.Reject(InsuranceErrors.Unknown, $"No prior authorisation {id}.");
        if (Policy(call.State, pa.Policy).Insurer != insurer)
        {
            throw ContractCall.Reject(InsuranceErrors.NotAuthorised, $"{id} is not for {insurer}.");
        }
        if (pa.Status != "requested")
        {
            throw ContractCall.Reject(InsuranceErrors.NotPended, $"{id} is already {pa.Status}.");
        }
        var approve = call.Args.GetBoolean("approve");
        var until = approve ? call.Args.GetInt64("validUntil") : (long?)null;
        if (until <= call.Block.Timestamp)
        {
            throw ContractCall.Reject(InsuranceErrors.BadClaim, "An approval is valid until a future date.");
        }
        call.State.Put(InsuranceKeys.PriorAuthorisation(id), StateJson.Write(pa with
        {
            Status = approve ? "approved" : "denied", ValidUntil = until, Reason = call.Args.GetOptionalString("reason"),
        }));
        call.Emit("ins.prior_auth_decided", ("request", id), ("provider", pa.Provider), ("status", approve ? "approved" : "denied"));
    }

    /// <summary>A policy, or the call is rejected.</summary>
    public static PolicyRecord Policy(IStateReader state, string id) =>
        StateJson.Read<PolicyRecord>(state.Get(InsuranceKeys.Policy(id))) ?? throw ContractCall.Reject(InsuranceErrors.Unknown, $"No policy {id}.");

    private static string Currency(TransactionArgs args) =>
        args.GetString("currency") is var c && CurrencyPattern().IsMatch(c) ? c : throw ContractCall.Reject(InsuranceErrors.BadAmount, "currency is an ISO 4217 code.");

    private static string Insurer(Caller caller, OrganisationRecord org, string role) =>
        org.Kind == "Insurer" && (caller.Kind == "organisation" || caller.Roles.Contains(role)) ? org.Id
            : throw ContractCall.Reject(InsuranceErrors.NotAuthorised, $"Only an insurer (its key or {role}) does this.");

    private static string Provider(Caller caller, OrganisationRecord org) =>
        OrganisationKinds.Providers.Contains(org.Kind) ? org.Id : throw ContractCall.Reject(InsuranceErrors.NotAuthorised, "Only a provider organisation or its staff claims.");
}
