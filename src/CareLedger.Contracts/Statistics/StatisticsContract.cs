using System.Globalization;
using System.Text.RegularExpressions;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Identity;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.Statistics;

/// <summary>
/// What statistics need on the ledger: each analyst's privacy budget (granted by a regulator, spent by the node that answers a noisy
/// query, never overdrawn), organisations' regions, and providers' weekly counts of reportable conditions for outbreak watch.
/// </summary>
public sealed partial class StatisticsContract : IContract
{
    /// <summary>The most one query may spend: ε 10.</summary>
    public const long MaxEpsilonPerQuery = 10_000;

    [GeneratedRegex("^[A-Z]{2}(-[A-Z0-9]{1,3})?$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex("^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$")]
    private static partial Regex ConditionPattern();

    [GeneratedRegex("^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$")]
    private static partial Regex WeekPattern();

    public string Name => "stats";

    public bool Handles(string action) => action is "grant_budget" or "spend" or "set_region" or "report_cases";

    public void Execute(ContractCall call)
    {
        var caller = Caller.Resolve(call.State, call.Transaction.Signer) is { Kind: not "patient" } c ? c
            : throw ContractCall.Reject(StatisticsErrors.NotAuthorised, "Statistics transactions are signed by organisations or their staff.");
        var kind = OrganisationKinds.Of(call.State, caller.Organisation);
        switch (call.Action)
        {
            case "grant_budget":
                if (kind != "Regulator" || caller.Kind != "organisation")
                {
                    throw ContractCall.Reject(StatisticsErrors.NotAuthorised, "Privacy budgets are granted by a regulator's key.");
                }
                GrantBudget(call);
                break;
            case "spend":
                Spend(call, caller);
                break;
            case "set_region":
                SetRegion(call, OrganisationKey(caller));
                break;
            case "report_cases":
                if (kind is null || !OrganisationKinds.Providers.Contains(kind))
                {
                    throw ContractCall.Reject(StatisticsErrors.NotAuthorised, "Cases are reported by providers.");
                }
                ReportCases(call, caller.Organisation);
                break;
        }
    }

    public static PrivacyBudget Budget(IStateReader state, string analyst) =>
        StateJson.Read<PrivacyBudget>(state.Get(StatisticsKeys.Budget(analyst))) ?? new PrivacyBudget(analyst, 0, 0, 0);

    /// <summary>The region an organisation declared, or "unknown".</summary>
    public static string RegionOf(IStateReader state, string organisation) =>
        state.Get(StatisticsKeys.Region(organisation)) is { } region ? System.Text.Encoding.UTF8.GetString(region) : "unknown";

    /// <summary><c>stats.grant_budget {analyst, epsilon}</c>: adds milli-epsilon to an analyst's (a member's or an organisation's) budget.</summary>
    private static void GrantBudget(ContractCall call)
    {
        var analyst = call.Args.GetString("analyst");
        var epsilon = Epsilon(call, 1_000_000);
        if (call.State.Get(IdentityKeys.Member(analyst)) is null && OrganisationKinds.Of(call.State, analyst) is null)
        {
            throw ContractCall.Reject(StatisticsErrors.NotAuthorised, $"{analyst} is not a member or organisation on the ledger.");
        }
        var budget = Budget(call.State, analyst);
        call.State.Put(StatisticsKeys.Budget(analyst), StateJson.Write(budget with { Granted = checked(budget.Granted + epsilon) }));
        call.Emit("stats.budget_granted", ("analyst", analyst), ("epsilon", epsilon.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// <c>stats.spend {analyst, query, epsilon}</c>, before a noisy answer is released: by the analyst, or by the key of the analyst's own
    /// organisation (its node answering for its staff), never by another organisation. Rejected when the analyst's remaining budget is
    /// smaller, so the budget cannot be exceeded even by concurrent queries (they are ordered on the ledger).
    /// </summary>
    private static void Spend(ContractCall call, Caller caller)
    {
        var analyst = call.Args.GetString("analyst");
        var own = analyst == caller.Id
            || caller.Kind == "organisation" && StateJson.Read<MemberRecord>(call.State.Get(IdentityKeys.Member(analyst)))?.Organisation == caller.Id;
        if (!own)
        {
            throw ContractCall.Reject(StatisticsErrors.NotAuthorised, $"Only {analyst} or its own organisation spends its privacy budget.");
        }
        var node = caller.Organisation;
        var epsilon = Epsilon(call, MaxEpsilonPerQuery);
        var query = call.Args.GetString("query");
        if (!Identifiers.IsHexHash(query))
        {
            throw ContractCall.Reject(StatisticsErrors.BadReport, "query is the SHA-256 of the query, 64 lowercase hex digits.");
        }
        var budget = Budget(call.State, analyst);
        if (epsilon > budget.Remaining)
        {
            throw ContractCall.Reject(StatisticsErrors.BudgetExhausted,
                $"{analyst} has {budget.Remaining} milli-epsilon of privacy budget left; this query needs {epsilon}.");
        }
        call.State.Put(StatisticsKeys.Budget(analyst), StateJson.Write(budget with { Spent = budget.Spent + epsilon, Queries = budget.Queries + 1 }));
        call.Emit("stats.budget_spent", ("analyst", analyst), ("epsilon", epsilon.ToString(CultureInfo.InvariantCulture)), ("query", query), ("node", node));
    }

    /// <summary><c>stats.set_region {region}</c>: the organisation's ISO 3166-2 region (e.g. US-MA), by its own key.</summary>
    private static void SetRegion(ContractCall call, string organisation)
    {
        var region = call.Args.GetString("region");
        if (!RegionPattern().IsMatch(region))
        {
            throw ContractCall.Reject(StatisticsErrors.BadReport, "region is an ISO 3166-2 code such as US-MA.");
        }
        call.State.Put(StatisticsKeys.Region(organisation), System.Text.Encoding.UTF8.GetBytes(region));
        call.Emit("stats.region_set", ("organisation", organisation), ("region", region));
    }

    /// <summary>
    /// <c>stats.report_cases {condition, week, count}</c>, by a provider: how many cases of a reportable condition (ICD-10) it saw in an
    /// ISO week (2027-W03), in its declared region. A later report for the same week replaces the earlier one.
    /// </summary>
    private static void ReportCases(ContractCall call, string organisation)
    {
        var condition = call.Args.GetString("condition");
        var week = call.Args.GetString("week");
        var count = call.Args.GetInt64("count");
        var region = RegionOf(call.State, organisation);
        if (!ConditionPattern().IsMatch(condition) || !WeekPattern().IsMatch(week) || count is < 0 or > 1_000_000 || region == "unknown")
        {
            throw ContractCall.Reject(StatisticsErrors.BadReport,
                "condition is an ICD-10 code, week an ISO week (2027-W03), count 0-1000000, and the provider has declared its region.");
        }
        call.State.Put(StatisticsKeys.Cases(condition, region, week, organisation), System.Text.Encoding.UTF8.GetBytes(count.ToString(CultureInfo.InvariantCulture)));
        call.Emit("stats.cases_reported", ("condition", condition), ("region", region), ("week", week), ("organisation", organisation));
    }

    private static long Epsilon(ContractCall call, long max)
    {
        var epsilon = call.Args.GetInt64("epsilon");
        return epsilon is > 0 && epsilon <= max ? epsilon
            : throw ContractCall.Reject(StatisticsErrors.BadEpsilon, $"epsilon is in milli-epsilon, 1-{max}.");
    }

    private static string OrganisationKey(Caller caller) => caller.Kind == "organisation" ? caller.Organisation
        : throw ContractCall.Reject(StatisticsErrors.NotAuthorised, "Only an organisation's own key (its node) does this.");
}
