using System.Globalization;
using CareLedger.Contracts;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Identity;
using CareLedger.Contracts.Insurance;

namespace CareLedger.Node.Api;

/// <summary>
/// Insurance as the ledger holds it: real-time eligibility for providers, claims with each line's adjudication
/// for the patient, the provider and the insurer, a patient's policies and cards, and an organisation's settlement account.
/// </summary>
internal static class InsuranceEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/insurance/eligibility", Check)
            .WithSummary("Is the patient covered on a date (?patient=&code=&date=)? For providers, insurers and the patient").Produces<Eligibility>();
        api.MapGet("/insurance/claims/{id}", Claim)
            .WithSummary("A claim and each line's adjudication, explained: for the patient, the provider and the insurer").Produces<ClaimRecord>();
        api.MapGet("/patients/{patient}/insurance", (string patient, HttpContext http, LedgerNode node) =>
                PatientEndpoints.ForPatient(patient, http, node, () => Policies(node, patient)))
            .WithSummary("The patient's policies (with the insurance card) and claims").Produces<IReadOnlyList<PolicyView>>();
        api.MapGet("/insurance/accounts/{owner}", Account)
            .WithSummary("An organisation's settlement balance and movements, oldest first, 500 at a time (?currency=USD&after=<sequence>), for that organisation")
            .Produces<AccountView>();
    }

    /// <summary>The patient's policies with their claims, newest claim last.</summary>
    public static IReadOnlyList<PolicyView> Policies(LedgerNode node, string patient)
    {
        var state = node.Engine.State;
        return StateJson.ReadIds(state, InsuranceKeys.PoliciesOf(patient)).Select(id =>
        {
            var policy = InsuranceContract.Policy(state, id);
            var claims = StateJson.ReadIds(state, InsuranceKeys.ClaimsOf(id))
                .Select(c => StateJson.Read<ClaimRecord>(state.Get(InsuranceKeys.Claim(c)))!).ToList();
            return new PolicyView(policy, StateJson.Read<PlanRecord>(state.Get(InsuranceKeys.Plan(policy.Plan)))!.Currency, claims);
        }).ToList();
    }

    private static IResult Check(string? patient, string? code, DateTimeOffset? date, HttpContext http, LedgerNode node)
    {
        var caller = GateHttp.CallerOf(http);
        if (string.IsNullOrWhiteSpace(patient))
        {
            return Problems.Of(InsuranceErrors.BadPolicy, "Give ?patient=<pseudonym> (and optionally &code=&date=).");
        }
        var time = (date ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds();
        var kind = OrganisationKinds.Of(node.Engine.State, caller.Organisation);
        return caller.Kind != "patient" && kind is not null && (kind == "Insurer" || OrganisationKinds.Providers.Contains(kind))
               || AccessDecisionPoint.ActsForPatient(node.Engine.State, caller, patient, "read", time)
            ? Results.Ok(Eligibility.Check(node.Engine.State, patient, code, time))
            : Problems.Of(InsuranceErrors.NotAuthorised, "Eligibility is checked by providers, insurers and the patient.", StatusCodes.Status403Forbidden);
    }

    private static IResult Claim(string id, HttpContext http, LedgerNode node)
    {
        if (StateJson.Read<ClaimRecord>(node.Engine.State.Get(InsuranceKeys.Claim(id))) is not { } claim)
        {
            return Problems.NotFound($"Claim {id}");
        }
        var caller = GateHttp.CallerOf(http);
        return caller.Kind != "patient" && (caller.Organisation == claim.Provider || caller.Organisation == claim.Insurer)
               || AccessDecisionPoint.ActsForPatient(node.Engine.State, caller, claim.Patient, "read", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())
            ? Results.Ok(claim)
            : Problems.Of(InsuranceErrors.NotAuthorised, "Only the patient, the provider and the insurer read a claim.", StatusCodes.Status403Forbidden);
    }

    private static IResult Account(string owner, string? currency, long? after, HttpContext http, LedgerNode node)
    {
        var caller = GateHttp.CallerOf(http);
        if (caller.Kind == "patient" || caller.Organisation != owner)
        {
            return Problems.Of(InsuranceErrors.NotAuthorised, "An organisation reads its own settlement account.", StatusCodes.Status403Forbidden);
        }
        currency ??= "USD";
        return Results.Ok(new AccountView(owner, currency, SettlementLedger.Balance(node.Engine.State, owner, currency), Movements(node, owner, currency, after, 500)));
    }

    /// <summary>An account's movements, oldest first, up to <paramref name="limit"/> after sequence <paramref name="after"/>.</summary>
    public static List<JournalEntry> Movements(LedgerNode node, string owner, string currency, long? after, int limit) =>
        Entries(node, node.Store.ScanState(InsuranceKeys.AccountMovements(owner, currency), limit, after is { } a ? InsuranceKeys.AccountMovement(owner, currency, a) : null));

    /// <summary>An account's latest <paramref name="limit"/> movements, newest first.</summary>
    public static List<JournalEntry> LatestMovements(LedgerNode node, string owner, string currency, int limit) =>
        Entries(node, node.Store.ScanStateLatest(InsuranceKeys.AccountMovements(owner, currency), limit));

    // Movement index rows hold the journal sequence; the entry is in the journal.
    private static List<JournalEntry> Entries(LedgerNode node, IEnumerable<(string Key, byte[] Value)> index) =>
        index.Select(r => StateJson.Read<JournalEntry>(node.Engine.State.Get(InsuranceKeys.JournalEntry(long.Parse(r.Value, CultureInfo.InvariantCulture))))!).ToList();

    internal sealed record PolicyView(PolicyRecord Policy, string Currency, IReadOnlyList<ClaimRecord> Claims);

    internal sealed record AccountView(string Owner, string Currency, long Balance, IReadOnlyList<JournalEntry> Movements);
}
