using System.Globalization;
using System.Text.RegularExpressions;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Identity;
using CareLedger.Contracts.Insurance;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.Genomics;

/// <summary>
/// Consented sharing of genomic data. A custodian registers an owner's encrypted dataset; the owner lists it on terms; a researcher
/// requests access for a purpose; the owner (or the owner's standing rule) approves, the price moves to the owner through the
/// settlement ledger and a grant is issued; the custodian records every download attempt here before it releases anything, and every
/// variant query with its (suppressed below k) answer. The owner may revoke a grant or close the listing at any time.
/// </summary>
public sealed partial class GenomicsContract : IContract
{
    /// <summary>Counts below this are never answered.</summary>
    public const int K = 5;

    /// <summary>How many variant queries one asker may make at one custodian a day: a bound on how much differencing can learn.</summary>
    public const int MaxQueriesPerDay = 100;

    [GeneratedRegex("^(dataset|greq):[a-z0-9._-]{1,56}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();

    public string Name => "gen";

    public bool Handles(string action) => action is "register" or "withdraw" or "list" or "request" or "decide" or "revoke" or "access" or "beacon";

    public void Execute(ContractCall call)
    {
        var caller = Caller.Resolve(call.State, call.Transaction.Signer)
            ?? throw ContractCall.Reject(GenomicsErrors.NotAuthorised, "The signer is not an active identity.");
        switch (call.Action)
        {
            case "register": Register(call, caller); break;
            case "withdraw": Withdraw(call, caller); break;
            case "list": List(call, caller); break;
            case "request": Request(call, caller); break;
            case "decide": Decide(call, caller); break;
            case "revoke": Revoke(call, caller); break;
            case "access": Access(call, caller); break;
            case "beacon": Beacon(call, caller); break;
        }
    }

    public static DatasetRecord Dataset(IStateReader state, string id) =>
        StateJson.Read<DatasetRecord>(state.Get(GenomicsKeys.Dataset(id))) ?? throw ContractCall.Reject(GenomicsErrors.UnknownDataset, $"No dataset {id}.");

    /// <summary>
    /// <c>gen.register {dataset, owner, saltedHash, assay, referenceBuild, coverage, format}</c>, by the custodian's own key (its node, which
    /// holds the encrypted file): the owner is a registered patient or an organisation.
    /// </summary>
    private static void Register(ContractCall call, Caller caller)
    {
        if (caller.Kind != "organisation" || OrganisationKinds.Of(call.State, caller.Organisation) is not { } kind || !OrganisationKinds.Providers.Contains(kind))
        {
            throw ContractCall.Reject(GenomicsErrors.NotAuthorised, "A dataset is registered by the key of the provider whose vault holds it.");
        }
        var id = Id(call.Args.GetString("dataset"), "dataset:");
        var owner = call.Args.GetString("owner");
        var ownerExists = owner.StartsWith("patient:", StringComparison.Ordinal)
            ? call.State.Get(IdentityKeys.Patient(owner)) is not null
            : OrganisationKinds.Of(call.State, owner) is not null;
        if (!ownerExists || call.State.Get(GenomicsKeys.Dataset(id)) is not null)
        {
            throw ContractCall.Reject(GenomicsErrors.BadDataset, "dataset is new and owner a registered patient or organisation.");
        }
        var coverage = call.Args.GetInt64("coverage");
        var hash = call.Args.GetString("saltedHash");
        var dataset = new DatasetRecord(id, owner, caller.Organisation, Identifiers.IsHexHash(hash) ? hash : throw Bad("saltedHash is 64 lowercase hex digits."),
            Code(call.Args.GetString("assay")), Code(call.Args.GetString("referenceBuild")),
            coverage is >= 0 and <= 100_000 ? (int)coverage : throw Bad("coverage is a mean depth 0-100000."), Code(call.Args.GetString("format")),
            call.Block.Timestamp, null, 0, "active");
        call.State.Put(GenomicsKeys.Dataset(id), StateJson.Write(dataset));
        StateJson.AppendId(call.State, GenomicsKeys.DatasetsOf(owner), id);
        call.Emit("gen.registered", ("dataset", id), ("owner", owner), ("custodian", caller.Organisation));
    }

    /// <summary><c>gen.withdraw {dataset}</c>, by the owner: no grant reads it again and it answers no more queries.</summary>
    private static void Withdraw(ContractCall call, Caller caller)
    {
        var dataset = Owned(call, caller);
        call.State.Put(GenomicsKeys.Dataset(dataset.Id), StateJson.Write(dataset with { Status = "withdrawn", Listing = dataset.Listing is null ? null : dataset.Listing with { Open = false } }));
        call.Emit("gen.withdrawn", ("dataset", dataset.Id), ("custodian", dataset.Custodian));
    }

    /// <summary>
    /// <c>gen.list {dataset, price, currency, purposes, durationDays, commercial, autoApprove, beacon, open?}</c>, by the owner: the terms
    /// (replacing earlier ones; grants already issued keep theirs).
    /// </summary>
    private static void List(ContractCall call, Caller caller)
    {
        var dataset = Owned(call, caller);
        var price = call.Args.GetInt64("price");
        var currency = call.Args.GetString("currency");
        var days = call.Args.GetInt64("durationDays");
        var purposes = call.Args.GetStringArray("purposes").Select(Code).ToList();
        if (price < 0 || !CurrencyPattern().IsMatch(currency) || days is < 1 or > 3650 || purposes.Count == 0 || dataset.Status != "active")
        {
            throw Bad("An active dataset is listed at a price of 0 or more in an ISO 4217 currency, for 1-3650 days, for named purposes.");
        }
        var listing = new Listing(price, currency, purposes, (int)days, call.Args.GetBoolean("commercial"), call.Args.GetBoolean("autoApprove"),
            call.Args.GetBoolean("beacon"), !call.Args.Has("open") || call.Args.GetBoolean("open"));
        call.State.Put(GenomicsKeys.Dataset(dataset.Id), StateJson.Write(dataset with { Listing = listing }));
        call.Emit("gen.listed", ("dataset", dataset.Id), ("price", price.ToString(CultureInfo.InvariantCulture)), ("currency", currency));
    }

    /// <summary>
    /// <c>gen.request {request, dataset, purpose, commercial}</c>, by a researcher (a member or an organisation): pending, or approved at once
    /// when the owner's standing rule (autoApprove) allows it — then paid by the researcher's organisation now.
    /// </summary>
    private static void Request(ContractCall call, Caller caller)
    {
        if (caller.Kind == "patient")
        {
            throw ContractCall.Reject(GenomicsErrors.NotAuthorised, "Access is requested by a researcher or their organisation.");
        }
        var id = Id(call.Args.GetString("request"), "greq:");
        var dataset = Dataset(call.State, call.Args.GetString("dataset"));
        var purpose = Code(call.Args.GetString("purpose"));
        var commercial = call.Args.GetBoolean("commercial");
        if (call.State.Get(GenomicsKeys.Request(id)) is not null)
        {
            throw ContractCall.Reject(GenomicsErrors.BadRequest, $"Request {id} exists.");
        }
        if (dataset.Listing is not { Open: true } listing || dataset.Status != "active")
        {
            throw ContractCall.Reject(GenomicsErrors.NotListed, $"{dataset.Id} is not open for requests.");
        }
        if (!listing.Purposes.Contains(purpose) || (commercial && !listing.Commercial))
        {
            throw ContractCall.Reject(GenomicsErrors.PurposeNotPermitted, $"The owner permits {string.Join(", ", listing.Purposes)}{(listing.Commercial ? "" : ", non-commercial only")}.");
        }
        var request = new GenomicRequest(id, dataset.Id, caller.Id, caller.Organisation, purpose, commercial, call.Block.Timestamp, "pending", null);
        StateJson.AppendId(call.State, GenomicsKeys.RequestsOf(dataset.Id), id);
        if (listing.AutoApprove)
        {
            Approve(call, request, dataset, listing);
            return;
        }
        call.State.Put(GenomicsKeys.Request(id), StateJson.Write(request));
        call.Emit("gen.requested", ("request", id), ("dataset", dataset.Id), ("owner", dataset.Owner));
    }

    /// <summary><c>gen.decide {request, approve}</c>, by the owner: approval pays the owner and issues the grant; denial closes the request.</summary>
    private static void Decide(ContractCall call, Caller caller)
    {
        var request = StateJson.Read<GenomicRequest>(call.State.Get(GenomicsKeys.Request(call.Args.GetString("request"))))
            ?? throw ContractCall.Reject(GenomicsErrors.UnknownRequest, "No such request.");
        var dataset = Dataset(call.State, request.Dataset);
        RequireOwner(caller, dataset);
        if (request.Status != "pending")
        {
            throw ContractCall.Reject(GenomicsErrors.BadRequest, $"Request {request.Id} is already {request.Status}.");
        }
        if (!call.Args.GetBoolean("approve"))
        {
            call.State.Put(GenomicsKeys.Request(request.Id), StateJson.Write(request with { Status = "denied" }));
            call.Emit("gen.denied", ("request", request.Id), ("dataset", dataset.Id));
            return;
        }
        if (dataset.Listing is not { Open: true } listing || dataset.Status != "active")
        {
            throw ContractCall.Reject(GenomicsErrors.NotListed, $"{dataset.Id} is no longer open; list it again first.");
        }
        Approve(call, request, dataset, listing);
    }

    // The price moves from the researcher's organisation to the owner, then the grant exists: no grant without payment.
    private static void Approve(ContractCall call, GenomicRequest request, DatasetRecord dataset, Listing listing)
    {
        if (listing.Price > 0)
        {
            SettlementLedger.Transfer(call, request.Organisation, dataset.Owner, listing.Price, listing.Currency, $"genomic access {request.Id}");
        }
        var grant = new GenomicGrant(request.Id, dataset.Id, request.Researcher, request.Organisation, request.Purpose, listing.Price, listing.Currency,
            call.Block.Timestamp, call.Block.Timestamp + (listing.DurationDays * 86_400_000L), "active", 0);
        call.State.Put(GenomicsKeys.Grant(grant.Id), StateJson.Write(grant));
        call.State.Put(GenomicsKeys.Request(request.Id), StateJson.Write(request with { Status = "approved", Grant = grant.Id }));
        call.State.Put(GenomicsKeys.Dataset(dataset.Id), StateJson.Write(dataset with { Earned = checked(dataset.Earned + listing.Price) }));
        call.Emit("gen.granted", ("grant", grant.Id), ("dataset", dataset.Id), ("grantee", grant.Grantee),
            ("expires", grant.Expires.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary><c>gen.revoke {grant}</c>, by the owner: no download under it from the next block on.</summary>
    private static void Revoke(ContractCall call, Caller caller)
    {
        var grant = StateJson.Read<GenomicGrant>(call.State.Get(GenomicsKeys.Grant(call.Args.GetString("grant"))))
            ?? throw ContractCall.Reject(GenomicsErrors.UnknownGrant, "No such grant.");
        RequireOwner(caller, Dataset(call.State, grant.Dataset));
        call.State.Put(GenomicsKeys.Grant(grant.Id), StateJson.Write(grant with { Status = "revoked" }));
        call.Emit("gen.revoked", ("grant", grant.Id), ("dataset", grant.Dataset), ("grantee", grant.Grantee));
    }

    /// <summary>
    /// <c>gen.access {grant, accessor}</c>, by the custodian's node before it releases anything: the contract decides (grant active, not
    /// expired, the accessor is the grantee or, for an organisation's grant, its member; dataset not withdrawn) and records the attempt
    /// either way. Released only when the event says <c>permit</c> true.
    /// </summary>
    private static void Access(ContractCall call, Caller caller)
    {
        var grant = StateJson.Read<GenomicGrant>(call.State.Get(GenomicsKeys.Grant(call.Args.GetString("grant"))))
            ?? throw ContractCall.Reject(GenomicsErrors.UnknownGrant, "No such grant.");
        var dataset = Dataset(call.State, grant.Dataset);
        if (caller.Kind != "organisation" || caller.Organisation != dataset.Custodian)
        {
            throw ContractCall.Reject(GenomicsErrors.NotAuthorised, $"Downloads are recorded by the custodian {dataset.Custodian}.");
        }
        var accessor = call.Args.GetString("accessor");
        var reason = dataset.Status != "active" ? GenomicsErrors.DatasetWithdrawn
            : grant.Status != "active" ? GenomicsErrors.GrantRevoked
            : call.Block.Timestamp >= grant.Expires ? GenomicsErrors.GrantExpired
            : accessor != grant.Grantee && !(grant.Grantee == grant.Organisation && IsMemberOf(call.State, accessor, grant.Organisation)) ? GenomicsErrors.NotGrantee
            : "grant";
        var permit = reason == "grant";
        var transaction = call.Transaction.Id.ToString();
        call.State.Put(GenomicsKeys.Access(dataset.Id, transaction),
            StateJson.Write(new GenomicAccess(dataset.Id, grant.Id, accessor, permit, reason, call.Block.Timestamp, transaction)));
        if (permit)
        {
            call.State.Put(GenomicsKeys.Grant(grant.Id), StateJson.Write(grant with { Downloads = grant.Downloads + 1 }));
        }
        call.Emit("gen.accessed", ("dataset", dataset.Id), ("grant", grant.Id), ("accessor", accessor), ("permit", permit ? "true" : "false"),
            ("reason", reason), ("owner", dataset.Owner));
    }

    /// <summary>
    /// <c>gen.beacon {variant, asker, count | suppressed: true}</c>, by a custodian's node: a variant query and the number of consenting
    /// datasets it holds that carry the variant (under the node's noise). A count below k is posted as suppressed, never as a number;
    /// an asker gets at most <see cref="MaxQueriesPerDay"/> answers from one custodian a day.
    /// </summary>
    private static void Beacon(ContractCall call, Caller caller)
    {
        if (caller.Kind != "organisation")
        {
            throw ContractCall.Reject(GenomicsErrors.NotAuthorised, "Variant queries are recorded by a custodian's own key.");
        }
        var variant = Variant.Parse(call.Args.GetString("variant")) ?? throw Bad("variant is chromosome:position:ref:alt.");
        int? count = call.Args.Has("suppressed") && call.Args.GetBoolean("suppressed") ? null : (int)call.Args.GetInt64("count");
        if (count < K)
        {
            throw ContractCall.Reject(GenomicsErrors.SmallCount, $"A count below k = {K} is posted as suppressed.");
        }
        var transaction = call.Transaction.Id.ToString();
        var asker = call.Args.GetString("asker");
        var today = GenomicsKeys.QueriesOf(asker, caller.Organisation, call.Block.Timestamp / 86_400_000);
        var asked = call.State.Get(today) is { } bytes ? int.Parse(System.Text.Encoding.UTF8.GetString(bytes), System.Globalization.CultureInfo.InvariantCulture) : 0;
        if (asked >= MaxQueriesPerDay)
        {
            throw ContractCall.Reject(GenomicsErrors.QueryBudgetExhausted, $"{asker} has made {MaxQueriesPerDay} variant queries here today; ask again tomorrow.");
        }
        call.State.Put(today, System.Text.Encoding.UTF8.GetBytes((asked + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        call.State.Put(GenomicsKeys.Query(transaction),
            StateJson.Write(new BeaconQuery(variant.ToString(), caller.Organisation, asker, count, K, call.Block.Timestamp, transaction)));
        call.Emit("gen.beacon_query", ("variant", variant.ToString()), ("custodian", caller.Organisation), ("asker", asker));
    }

    private static DatasetRecord Owned(ContractCall call, Caller caller)
    {
        var dataset = Dataset(call.State, call.Args.GetString("dataset"));
        RequireOwner(caller, dataset);
        return dataset;
    }

    /// <summary>The owner is the patient (their own key) or the owning organisation (its own key).</summary>
    private static void RequireOwner(Caller caller, DatasetRecord dataset)
    {
        var isOwner = dataset.Owner.StartsWith("patient:", StringComparison.Ordinal)
            ? caller.Kind == "patient" && caller.Id == dataset.Owner
            : caller.Kind == "organisation" && caller.Organisation == dataset.Owner;
        if (!isOwner)
        {
            throw ContractCall.Reject(GenomicsErrors.NotAuthorised, $"Only the owner of {dataset.Id} does this.");
        }
    }

    private static bool IsMemberOf(IStateReader state, string member, string organisation) => Caller.Member(state, member, organisation) is not null;

    private static string Id(string id, string prefix) => id.StartsWith(prefix, StringComparison.Ordinal) && IdPattern().IsMatch(id) ? id
        : throw Bad($"The id is {prefix} and 1-56 of [a-z0-9._-].");

    private static string Code(string value) => CodePattern().IsMatch(value) ? value : throw Bad($"'{value}' is not 1-64 of [a-z0-9._-].");

    private static ContractRejectedException Bad(string message) => ContractCall.Reject(GenomicsErrors.BadDataset, message);
}
