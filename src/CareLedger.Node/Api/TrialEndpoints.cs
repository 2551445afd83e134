using CareLedger.Contracts;
using CareLedger.Contracts.Trials;
using CareLedger.Node.Research;

namespace CareLedger.Node.Api;

/// <summary>
/// Clinical trials: the registry entry with every protocol version (outcome switching shows) and each site's screening count, the
/// sponsor's screening and invitation requests to this site, the patient's research inbox, and trial documents in the vault.
/// </summary>
internal static class TrialEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/trials/{trial}", Trial)
            .WithSummary("A trial: sponsor, sites, every protocol version (with endpoint changes after enrolment flagged), counts per site, documents")
            .Produces<TrialView>();
        api.MapPost("/trials/{trial}/screening", Screen)
            .WithSummary("For the sponsor: screen this site's research-consenting patients and post the count (suppressed below k)").Produces<MatchRecord>();
        api.MapPost("/trials/{trial}/invitations", Invite)
            .WithSummary("For the sponsor: invite this site's eligible patients through the pseudonymous inbox (k or more, or none)");
        api.MapGet("/research/invitations", (HttpContext http, ResearchDesk desk) =>
                GateHttp.CallerOf(http) is { Kind: "patient" } patient ? Results.Ok(desk.InvitationsOf(patient.Id))
                    : Problems.Of(TrialErrors.NotAuthorised, "The research inbox is the patient's own.", StatusCodes.Status403Forbidden))
            .WithSummary("The calling patient's trial invitations").Produces<IReadOnlyList<InvitationView>>();
        api.MapPost("/research/invitations/{invitation}/accept", Accept)
            .WithSummary("The calling patient accepts: enrolment under the pseudonym of the trial key that signed the consent form");
        api.MapPost("/research/withdrawals", async (Withdrawal body, ResearchDesk desk, CancellationToken ct) =>
                await desk.WithdrawAsync(body.Trial, body.Subject, body.Signature, ct) is { } refusal ? Problems.Of(refusal) : Results.NoContent())
            .WithSummary("Withdraw a subject's consent: {trial, subject, signature} signed with the trial key; the site carries it to the ledger");
        api.MapPut("/trials/{trial}/documents/{document}", StoreDocument)
            .WithSummary("Store the next version of a trial document in this node's vault and anchor its SHA-256 (?kind=protocol&subject=)")
            .Accepts<byte[]>("application/pdf", "application/octet-stream", "text/plain").Produces<DocumentVersion>();
        api.MapGet("/trials/{trial}/documents/{document}", (string trial, string document, TrialDocumentStore store) =>
                store.Current(trial, document) is { } record ? Results.Ok(record) : Problems.NotFound($"Document {document} of {trial}"))
            .WithSummary("A trial document's anchored versions: hash, signer, time").Produces<TrialDocumentRecord>();
        api.MapGet("/trials/{trial}/documents/{document}/content", ReadDocument)
            .WithSummary("A version's bytes from this node's vault (?version=), for the sponsor, the sites and regulators");
        api.MapPost("/trials/{trial}/documents/{document}/verify", Verify)
            .WithSummary("Check a copy against the anchors: which version it is, or that it was changed after anchoring").Produces<DocumentCheck>();
    }

    private static IResult Trial(string trial, LedgerNode node)
    {
        var state = node.Engine.State;
        if (StateJson.Read<TrialRecord>(state.Get(TrialKeys.Trial(trial))) is not { } record)
        {
            return Problems.Of(TrialErrors.UnknownTrial, $"No trial {trial}.", StatusCodes.Status404NotFound);
        }
        var matches = record.Sites.Select(s => StateJson.Read<MatchRecord>(state.Get(TrialKeys.Match(trial, s.Site)))).OfType<MatchRecord>().ToList();
        return Results.Ok(new TrialView(record, record.OutcomeSwitched, matches, StateJson.ReadIds(state, TrialKeys.DocumentsOf(trial))));
    }

    private static async Task<IResult> Screen(string trial, HttpContext http, LedgerNode node, ResearchDesk desk, CancellationToken ct)
    {
        var caller = GateHttp.CallerOf(http);
        var (match, refusal) = await desk.PostCountAsync(caller, trial, ct);
        return refusal is not null ? Problems.Of(refusal) : Results.Ok(match);
    }

    private static async Task<IResult> Invite(string trial, HttpContext http, LedgerNode node, ResearchDesk desk, OrganisationSigner signer, CancellationToken ct)
    {
        var caller = GateHttp.CallerOf(http);
        var (invited, refusal) = await desk.InviteAsync(caller, trial, ct);
        return refusal is not null ? Problems.Of(refusal) : Results.Ok(new { trial, site = signer.Organisation, invited });
    }

    private static async Task<IResult> Accept(string invitation, AcceptInvitation body, HttpContext http, LedgerNode node, ResearchDesk desk, CancellationToken ct)
    {
        if (GateHttp.CallerOf(http) is not { Kind: "patient" } patient)
        {
            return Problems.Of(TrialErrors.NotAuthorised, "Only the invited patient accepts.", StatusCodes.Status403Forbidden);
        }
        var (subject, refusal) = await desk.AcceptAsync(patient, invitation, body, ct);
        return refusal is not null ? Problems.Of(refusal) : Results.Ok(new { invitation, subject });
    }

    private static async Task<IResult> StoreDocument(string trial, string document, string? kind, string? subject, HttpContext http, LedgerNode node,
        TrialDocumentStore store, CancellationToken ct)
    {
        var caller = GateHttp.CallerOf(http);
        if (kind is null)
        {
            return Problems.Of(TrialErrors.BadDocument, $"Give ?kind= (one of {string.Join(", ", TrialsContract.DocumentKinds)}).");
        }
        var (version, refusal) = await store.StoreAsync(caller, trial, document, kind, subject, await ReadBody(http, ct),
            http.Request.ContentType ?? "application/octet-stream", ct);
        return refusal is not null ? Problems.Of(refusal) : Results.Ok(version);
    }

    private static IResult ReadDocument(string trial, string document, int? version, HttpContext http, LedgerNode node, TrialDocumentStore store)
    {
        var caller = GateHttp.CallerOf(http);
        var (content, mediaType, refusal) = store.Read(caller, trial, document, version);
        return refusal is not null ? Problems.Of(refusal) : Results.File(content!, mediaType);
    }

    private static async Task<IResult> Verify(string trial, string document, HttpContext http, TrialDocumentStore store, CancellationToken ct) =>
        store.Verify(trial, document, await ReadBody(http, ct)) is { } check ? Results.Ok(check) : Problems.NotFound($"Document {document} of {trial}");

    private static async Task<byte[]> ReadBody(HttpContext http, CancellationToken ct)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, ct);
        return body.ToArray();
    }
}

/// <summary>A trial as the registry shows it: the record, whether outcomes were switched, each site's latest count, its documents.</summary>
public sealed record TrialView(TrialRecord Trial, bool OutcomeSwitched, IReadOnlyList<MatchRecord> Counts, IReadOnlyList<string> Documents);
