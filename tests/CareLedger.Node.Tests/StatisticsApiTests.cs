using System.Net;
using System.Text.Json;
using CareLedger.Client;
using CareLedger.Contracts.Statistics;
using CareLedger.Core.Crypto;
using CareLedger.Node.Statistics;

namespace CareLedger.Node.Tests;

[Collection("network")]
public sealed class StatisticsApiTests : NodeTest
{
    private const string Metformin = "09506000134352";
    private const string Insulin = "09506000134369";

    private Task CommitAsync(SigningKey key, string type, string args) => CareSetup.CommitAsync(Node.Client, key, Node.Chain, type, args);

    // The pharmacy (in US-MA) dispenses 6 packages of metformin (ATC A10BA02) and 3 of insulin (A10AB01).
    private async Task<(SigningKey Maker, SigningKey Pharmacy)> DispenseAsync()
    {
        var maker = await CareSetup.AdmitAsync(Node, "org:acme-pharma", "Manufacturer");
        var pharmacy = await CareSetup.AdmitAsync(Node, "org:city-pharmacy", "Pharmacy");
        await CommitAsync(pharmacy, "stats.set_region", """{"region":"US-MA"}""");
        foreach (var (gtin, atc, count) in new[] { (Metformin, "A10BA02", 6), (Insulin, "A10AB01", 3) })
        {
            await CommitAsync(maker, "supply.register_product",
                $$"""{"gtin":"{{gtin}}","nationalCode":"NDC {{gtin[^5..]}}","name":"Product","strength":"1","form":"tablet","packSize":30,"atc":"{{atc}}"}""");
            var serials = Enumerable.Range(1, count).Select(i => $"\"S{i}\"").ToList();
            await CommitAsync(maker, "supply.commission", $$"""{"gtin":"{{gtin}}","lot":"L1","expiry":"{{DateTime.UtcNow.AddYears(2):yyMM}}00","serials":[{{string.Join(",", serials)}}]}""");
            var shipment = await Node.Client.SubmitAsync(new TransactionFactory(maker, Node.Chain).Create("supply.ship",
                $$"""{"to":"org:city-pharmacy","units":[{{string.Join(",", serials.Select(s => $"\"{gtin}/{s.Trim('"')}\""))}}],"transactionInformation":"TI-1","transactionStatement":"TS-1"}"""),
                TimeSpan.FromSeconds(10));
            await CommitAsync(pharmacy, "supply.receive",
                $$"""{"shipment":"{{shipment.Id}}","units":[{{string.Join(",", serials.Select(s => $"\"{gtin}/{s.Trim('"')}\""))}}]}""");
            for (var i = 1; i <= count; i++)
            {
                await CommitAsync(pharmacy, "supply.dispense", $$"""{"gtin":"{{gtin}}","serial":"S{{i}}"}""");
            }
        }
        return (maker, pharmacy);
    }

    [Fact]
    public async Task Exact_tables_suppress_cells_below_k_and_export_as_csv()
    {
        var (maker, pharmacy) = await DispenseAsync();
        using var _ = maker;
        using var __ = pharmacy;
        // The hole: any key read exact counts. A pharmacy (or a patient) is neither a regulator nor an appointed analyst.
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsAsync(pharmacy, "api/v1/statistics/dispensing?by=region")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsAsync(Node.AdminKey, "api/v1/statistics/dispensing?by=region")).Status);
        using var regulator = await CareSetup.AdmitAsync(Node, "org:health-agency", "Regulator");
        Assert.Equal(HttpStatusCode.OK, (await GetAsAsync(regulator, "api/v1/statistics/dispensing?by=region")).Status);
        // A regulator appoints an analyst by granting a budget.
        await CommitAsync(regulator, "stats.grant_budget", """{"analyst":"org:local","epsilon":1}""");

        var (status, body) = await GetAsAsync(Node.AdminKey, "api/v1/statistics/dispensing?by=product,class,region");
        Assert.Equal(HttpStatusCode.OK, status);
        var cells = body.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(2, cells.Count);
        Assert.Equal([Metformin, "A10B", "US-MA"], cells[0].GetProperty("key").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(6, cells[0].GetProperty("count").GetInt64());
        Assert.True(cells[1].GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, cells[1].GetProperty("count").ValueKind);
        Assert.Equal(9, (await GetAsAsync(Node.AdminKey, "api/v1/statistics/dispensing?by=region")).Body.GetProperty("cells")[0].GetProperty("count").GetInt64());

        var csv = await Node.Http.SendAsync(Authorised(HttpMethod.Get, "api/v1/statistics/dispensing?by=class&format=csv"));
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal("class,count,median_hours,p90_hours,suppressed\r\nA10A,,,,true\r\nA10B,6,,,false\r\n", await csv.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsAsync(Node.AdminKey, "api/v1/statistics/dispensing?k=2")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsAsync(Node.AdminKey, "api/v1/statistics/dispensing?by=patient")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsAsync(Node.AdminKey, "api/v1/statistics/salaries")).Status);
    }

    [Fact]
    public async Task Noisy_tables_spend_the_analysts_budget_and_are_refused_once_it_is_spent()
    {
        var (maker, pharmacy) = await DispenseAsync();
        using var _ = maker;
        using var __ = pharmacy;
        using var regulator = await CareSetup.AdmitAsync(Node, "org:health-agency", "Regulator");

        var refused = await Node.Http.SendAsync(Authorised(HttpMethod.Post, "api/v1/statistics/dispensing/noisy?by=product&epsilon=600"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains(StatisticsErrors.BudgetExhausted, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await CommitAsync(regulator, "stats.grant_budget", """{"analyst":"org:local","epsilon":1000}""");
        var noisy = await Node.Http.SendAsync(Authorised(HttpMethod.Post, "api/v1/statistics/dispensing/noisy?by=product&epsilon=600"));
        Assert.Equal(HttpStatusCode.OK, noisy.StatusCode);
        var table = JsonSerializer.Deserialize<StatisticsTable>(await noisy.Content.ReadAsStringAsync(), CareLedgerClient.Json)!;
        Assert.Equal(("discrete-laplace", 600L, 2), (table.Protection, table.Epsilon!.Value, table.Cells.Count));
        Assert.All(table.Cells, c => Assert.False(c.Suppressed));
        Assert.All(table.Cells, c => Assert.True(c.Count >= 0));

        Assert.Equal(HttpStatusCode.Forbidden, (await Node.Http.SendAsync(Authorised(HttpMethod.Post, "api/v1/statistics/dispensing/noisy?by=product&epsilon=600"))).StatusCode);
        var budget = (await GetAsAsync(Node.AdminKey, "api/v1/statistics/budget")).Body;
        Assert.Equal((1000, 600, 1), (budget.GetProperty("granted").GetInt64(), budget.GetProperty("spent").GetInt64(), budget.GetProperty("queries").GetInt32()));

        // The hole: another organisation's node spent this analyst's budget. Only the analyst or its own organisation may.
        var spend = await Node.Client.SubmitAsync(new TransactionFactory(pharmacy, Node.Chain).Create("stats.spend",
            $$"""{"analyst":"org:local","query":"{{new string('b', 64)}}","epsilon":100}"""), TimeSpan.FromSeconds(10));
        Assert.Equal(StatisticsErrors.NotAuthorised, spend.Code);
        budget = (await GetAsAsync(Node.AdminKey, "api/v1/statistics/budget")).Body;
        Assert.Equal(600, budget.GetProperty("spent").GetInt64());
    }

    [Fact]
    public async Task The_outbreak_trend_sums_weekly_reports_suppresses_small_weeks_forecasts_and_alerts()
    {
        await CommitAsync(Node.AdminKey, "stats.set_region", """{"region":"US-MA"}""");
        using var regulator = await CareSetup.AdmitAsync(Node, "org:health-agency", "Regulator");
        await CommitAsync(regulator, "stats.grant_budget", """{"analyst":"org:local","epsilon":1}""");
        long[] counts = [10, 11, 3, 12, 10, 11, 10, 40];
        for (var week = 0; week < counts.Length; week++)
        {
            await CommitAsync(Node.AdminKey, "stats.report_cases", $$"""{"condition":"A08.1","week":"2027-W{{week + 1:00}}","count":{{counts[week]}}}""");
        }

        var (status, trend) = await GetAsAsync(Node.AdminKey, "api/v1/statistics/outbreak?condition=A08.1&region=US-MA");
        Assert.Equal(HttpStatusCode.OK, status);
        var weeks = trend.GetProperty("weeks").EnumerateArray().ToList();
        Assert.Equal(8, weeks.Count);
        Assert.True(weeks[2].GetProperty("suppressed").GetBoolean());
        Assert.Equal(40, weeks[7].GetProperty("cases").GetInt64());
        Assert.True(trend.GetProperty("alert").GetBoolean());
        Assert.Equal(["2027-W09", "2027-W10", "2027-W11", "2027-W12"], trend.GetProperty("forecast").EnumerateArray().Select(f => f.GetProperty("week").GetString()));
        Assert.Empty((await GetAsAsync(Node.AdminKey, "api/v1/statistics/outbreak?condition=A08.1&region=US-NY")).Body.GetProperty("weeks").EnumerateArray());
        var csv = await (await Node.Http.SendAsync(Authorised(HttpMethod.Get, "api/v1/statistics/outbreak?condition=A08.1&format=csv"))).Content.ReadAsStringAsync();
        Assert.StartsWith("week,cases,suppressed,kind\r\n2027-W01,10,false,observed\r\n2027-W02,11,false,observed\r\n2027-W03,,true,observed", csv, StringComparison.Ordinal);
        Assert.Contains("2027-W12,", csv, StringComparison.Ordinal);
    }

    private HttpRequestMessage Authorised(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            AccessToken.Create(Node.AdminKey, Node.Chain, TimeSpan.FromMinutes(2), DateTimeOffset.UtcNow));
        return request;
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> GetAsAsync(SigningKey key, string path) => Node.GetAsAsync(key, path);
}
