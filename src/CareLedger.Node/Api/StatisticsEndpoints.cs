using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CareLedger.Contracts.Statistics;
using CareLedger.Node.Statistics;

namespace CareLedger.Node.Api;

/// <summary>
/// Statistics from ledger projections: exact tables with small cells suppressed, finer noisy tables paid for from the analyst's
/// privacy budget, the outbreak-watch trend, and the caller's budget. Tables come as JSON or CSV (?format=csv).
/// </summary>
internal static class StatisticsEndpoints
{
    private const int MinimumK = 5;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/statistics", () => Results.Ok(LedgerProjections.Tables))
            .WithSummary("The statistics tables and the dimensions each can be broken down by");
        api.MapGet("/statistics/budget", (HttpContext http, LedgerNode node) =>
                Results.Ok(StatisticsContract.Budget(node.Engine.State, GateHttp.CallerOf(http).Id)))
            .WithSummary("The caller's privacy budget in milli-epsilon: granted, spent, queries").Produces<PrivacyBudget>();
        api.MapGet("/statistics/outbreak", Outbreak).RequireAuthorization(Auth.Policies.StatisticsReader)
            .WithSummary("Weekly cases of a reportable condition (?condition=A08.1&region=US-MA&k=5&format=csv), a 4-week forecast and an alert flag")
            .Produces<Trend>();
        api.MapGet("/statistics/{table}", Exact).RequireAuthorization(Auth.Policies.StatisticsReader)
            .WithSummary("A table with exact counts; cells with fewer than k (at least 5) are suppressed (?by=product,month&k=5&format=csv)")
            .WithDescription("For regulators, auditors and analysts a regulator granted a privacy budget; anyone else asks for the noisy table.")
            .Produces<StatisticsTable>();
        api.MapPost("/statistics/{table}/noisy", Noisy)
            .WithSummary("A table with every cell under discrete Laplace noise at ε, nothing suppressed; ε (milli-epsilon) is spent from the caller's budget first (?by=&epsilon=500)")
            .WithDescription("The node spends from the budget of its own organisation's staff (or the organisation); an analyst of another organisation " +
                             "asks through their own organisation's node (403 stats.not_authorised).")
            .Produces<StatisticsTable>();
    }

    private static IResult Exact(string table, string? by, int? k, string? format, LedgerNode node)
    {
        if (Dimensions(table, by) is not { } chosen)
        {
            return BadQuery(table, by);
        }
        if (k < MinimumK)
        {
            return Problems.Of("stats.bad_query", $"k is at least {MinimumK}.");
        }
        var dimensions = LedgerProjections.Tables[table];
        return Answer(Aggregation.Suppressed(table, dimensions, chosen, new LedgerProjections(node).Facts(table), k ?? MinimumK), format);
    }

    private static async Task<IResult> Noisy(string table, string? by, long? epsilon, string? format, HttpContext http, LedgerNode node,
        OrganisationSigner signer, DiscreteLaplace noise, CancellationToken ct)
    {
        var caller = GateHttp.CallerOf(http);
        if (Dimensions(table, by) is not { } chosen)
        {
            return BadQuery(table, by);
        }
        if (epsilon is not { } milli)
        {
            return Problems.Of(StatisticsErrors.BadEpsilon, "Give ?epsilon= in milli-epsilon (500 = ε 0.5).");
        }
        var query = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{table}|{string.Join(',', chosen)}|{milli.ToString(CultureInfo.InvariantCulture)}|{Guid.NewGuid()}")));
        var spent = await signer.SubmitAsync("stats.spend", new { analyst = caller.Id, query, epsilon = milli }, ct);
        if (!spent.Committed)
        {
            return Problems.Of(Refusal.From(spent));
        }
        return Answer(Aggregation.Noisy(table, LedgerProjections.Tables[table], chosen, new LedgerProjections(node).Facts(table), milli, noise), format);
    }

    private static IResult Outbreak(string? condition, string? region, int? k, string? format, LedgerNode node)
    {
        if (string.IsNullOrEmpty(condition) || k < MinimumK)
        {
            return Problems.Of("stats.bad_query", $"Give ?condition=<ICD-10 code> (and optionally &region=, &k= of at least {MinimumK}).");
        }
        var trend = new OutbreakWatch(node).Trend(condition, region, k ?? MinimumK);
        return format == "csv" ? Results.Text(trend.ToCsv(), "text/csv", Encoding.UTF8) : Results.Ok(trend);
    }

    // The indexes of the chosen dimensions (all when none are named), or null for an unknown table or dimension.
    private static List<int>? Dimensions(string table, string? by)
    {
        if (!LedgerProjections.Tables.TryGetValue(table, out var dimensions))
        {
            return null;
        }
        if (string.IsNullOrEmpty(by))
        {
            return Enumerable.Range(0, dimensions.Count).ToList();
        }
        var chosen = by.Split(',').Select(d => dimensions.ToList().IndexOf(d)).ToList();
        return chosen.Contains(-1) || chosen.Distinct().Count() != chosen.Count ? null : chosen;
    }

    private static IResult BadQuery(string table, string? by) => LedgerProjections.Tables.TryGetValue(table, out var dimensions)
        ? Problems.Of("stats.bad_query", $"'{by}' is not a list of {table}'s dimensions ({string.Join(", ", dimensions)}).")
        : Problems.Of("not_found", $"No table {table}; there are {string.Join(", ", LedgerProjections.Tables.Keys)}.");

    private static IResult Answer(StatisticsTable table, string? format) =>
        format == "csv" ? Results.Text(table.ToCsv(), "text/csv", Encoding.UTF8) : Results.Ok(table);
}
