using CareLedger.Contracts;
using CareLedger.Contracts.Genomics;
using CareLedger.Node.Research;

namespace CareLedger.Node.Api;

/// <summary>
/// Genomic data sharing: upload an encrypted dataset, browse open listings, download under a paid grant (recorded first), the owner's
/// access log and earnings, and beacon-style variant counts.
/// </summary>
internal static class GenomicsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/genomics/datasets", Upload)
            .WithSummary("Store a VCF encrypted in this node's vault and register it (?assay=wgs&referenceBuild=grch38&coverage=30&owner=)")
            .Accepts<byte[]>(GenomicsDesk.VcfMediaType, "application/octet-stream").Produces<DatasetRecord>(StatusCodes.Status201Created);
        api.MapGet("/genomics/datasets", (LedgerNode node) => Results.Ok(node.Store.ScanState(GenomicsKeys.DatasetPrefix, 10_000)
                .Select(row => StateJson.Read<DatasetRecord>(row.Value)!).Where(d => d.Status == "active" && d.Listing is { Open: true })
                .Select(DatasetListing.Of).ToList()))
            .WithSummary("Datasets open for access requests, with their non-identifying metadata and terms (never the owner)")
            .Produces<IReadOnlyList<DatasetListing>>();
        api.MapGet("/genomics/datasets/{dataset}", (string dataset, HttpContext http, LedgerNode node) =>
                StateJson.Read<DatasetRecord>(node.Engine.State.Get(GenomicsKeys.Dataset(dataset))) is not { } record ? Problems.NotFound($"Dataset {dataset}")
                : IsOwnerOrCustodian(http, node, record) ? Results.Ok(record) : Results.Ok(DatasetListing.Of(record)))
            .WithSummary("A dataset: metadata, terms, status; its owner, custodian and earnings only for the owner and the custodian")
            .Produces<DatasetRecord>().Produces<DatasetListing>();
        api.MapGet("/genomics/datasets/{dataset}/accesses", Accesses)
            .WithSummary("Every download attempt on the dataset, released or refused, for its owner").Produces<IReadOnlyList<GenomicAccess>>();
        api.MapGet("/genomics/grants/{grant}/download", Download)
            .WithSummary("Download the dataset under a grant, sealed with HPKE (RFC 9180) to the caller's ledger key; the attempt is recorded and decided on the ledger before anything is released")
            .Produces<Client.SealedFile>();
        api.MapGet("/genomics/beacon", Query)
            .WithSummary("How many consenting datasets here carry a variant (?variant=17:43045712:G:A); below k the count is suppressed. " +
                         "In a consortium, &scope=network asks every organisation's node and adds up their answers")
            .Produces<BeaconQuery>().Produces<NetworkBeaconAnswer>();
        api.MapGet("/patients/{patient}/genomics", (string patient, HttpContext http, LedgerNode node) =>
                PatientEndpoints.ForPatient(patient, http, node, () => StateJson.ReadIds(node.Engine.State, GenomicsKeys.DatasetsOf(patient))
                    .Select(id => GenomicsContract.Dataset(node.Engine.State, id)).ToList()))
            .WithSummary("The patient's genomic datasets, their listings and what they earned").Produces<IReadOnlyList<DatasetRecord>>();
    }

    private static async Task<IResult> Upload(string? owner, string? assay, string? referenceBuild, int? coverage, HttpContext http, LedgerNode node,
        GenomicsDesk desk, CancellationToken ct)
    {
        var caller = GateHttp.CallerOf(http);
        if (assay is null || referenceBuild is null || coverage is null)
        {
            return Problems.Of(GenomicsErrors.BadDataset, "Give ?assay=&referenceBuild=&coverage= (and &owner= for a staff upload).");
        }
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, ct);
        var (dataset, refusal) = await desk.RegisterAsync(caller, new DatasetUpload(owner, assay, referenceBuild, coverage.Value), body.ToArray(), ct);
        return refusal is not null ? Problems.Of(refusal) : Results.Created($"/api/v1/genomics/datasets/{dataset!.Id}", dataset);
    }

    private static IResult Accesses(string dataset, HttpContext http, LedgerNode node)
    {
        var record = StateJson.Read<DatasetRecord>(node.Engine.State.Get(GenomicsKeys.Dataset(dataset)));
        if (record is null)
        {
            return Problems.NotFound($"Dataset {dataset}");
        }
        return IsOwnerOrCustodian(http, node, record)
            ? Results.Ok(node.Store.ScanState(GenomicsKeys.AccessPrefix(dataset), 100_000).Select(r => StateJson.Read<GenomicAccess>(r.Value)!).OrderBy(a => a.Time).ToList())
            : Problems.Of(GenomicsErrors.NotAuthorised, "The access log is the owner's.", StatusCodes.Status403Forbidden);
    }

    private static async Task<IResult> Download(string grant, HttpContext http, LedgerNode node, GenomicsDesk desk, CancellationToken ct)
    {
        var caller = GateHttp.CallerOf(http);
        var (content, refusal) = await desk.DownloadAsync(caller, grant, ct);
        if (refusal is not null)
        {
            return Problems.Of(refusal);
        }
        // Sealed to the very ledger key the caller signed in with (active, on the ledger): only its holder opens it.
        var kid = http.User.FindFirst(Auth.CallerClaims.KeyIdClaim)!.Value;
        var key = StateJson.Read<Contracts.Identity.KeyRecord>(node.Engine.State.Get(Contracts.Identity.IdentityKeys.Key(Core.Crypto.KeyId.Parse(kid))))!;
        return Results.Ok(Client.SealedFile.Seal(kid, key.PublicKey, grant, GenomicsDesk.VcfMediaType, content!));
    }

    private static async Task<IResult> Query(string? variant, string? scope, HttpContext http, LedgerNode node, GenomicsDesk desk, OrganisationSigner signer,
        CancellationToken ct)
    {
        var caller = GateHttp.CallerOf(http);
        var (answer, refusal) = await desk.QueryAsync(caller, variant ?? "", ct);
        if (refusal is not null)
        {
            return Problems.Of(refusal);
        }
        if (scope != "network")
        {
            return Results.Ok(answer);
        }
        // Each custodian answers from its own vault and records the query; the network count adds the answers not suppressed.
        var answers = new List<BeaconQuery> { answer! };
        var unreachable = new List<string>();
        if (http.RequestServices.GetService<CustodianProxy>() is { } proxy)
        {
            foreach (var (organisation, status, body) in await proxy.AskOthersAsync($"api/v1/genomics/beacon?variant={Uri.EscapeDataString(answer!.Variant)}",
                         signer.Organisation, http, ct))
            {
                if (status == StatusCodes.Status200OK && body is not null && System.Text.Json.JsonSerializer.Deserialize<BeaconQuery>(body, Client.CareLedgerClient.Json) is { } remote)
                {
                    answers.Add(remote);
                }
                else
                {
                    unreachable.Add(organisation);
                }
            }
        }
        return Results.Ok(new NetworkBeaconAnswer(answer!.Variant, answers.Sum(a => (long)(a.Count ?? 0)), answers.Count(a => a.Count is null), answers, unreachable));
    }

    /// <summary>
    /// A variant count across the network: the sum of the custodians' counts that were not suppressed (each is k or more), how many
    /// custodians suppressed theirs, every custodian's recorded answer, and the organisations whose nodes did not answer.
    /// </summary>
    internal sealed record NetworkBeaconAnswer(string Variant, long Count, int Suppressed, IReadOnlyList<BeaconQuery> Answers, IReadOnlyList<string> Unreachable);

    // The owner (the patient, a delegate of theirs with the read mandate, or the owning organisation's staff) or the custodian's staff.
    private static bool IsOwnerOrCustodian(HttpContext http, LedgerNode node, DatasetRecord record) =>
        GateHttp.CallerOf(http) is var caller
        && (caller.Organisation == record.Owner || caller.Organisation == record.Custodian
            || Contracts.Consent.AccessDecisionPoint.ActsForPatient(node.Engine.State, caller, record.Owner, "read", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
}

/// <summary>What anyone sees of a listed dataset: what it is and on which terms, never whose it is.</summary>
internal sealed record DatasetListing(string Id, string Assay, string ReferenceBuild, int Coverage, string Format, long Registered, Listing? Listing, string Status)
{
    public static DatasetListing Of(DatasetRecord d) => new(d.Id, d.Assay, d.ReferenceBuild, d.Coverage, d.Format, d.Registered, d.Listing, d.Status);
}
