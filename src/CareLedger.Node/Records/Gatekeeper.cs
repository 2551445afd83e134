using System.Text;
using CareLedger.Contracts;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Records;
using CareLedger.Core.Ledger;
using CareLedger.Vault;
using Hl7.Fhir.Model;

namespace CareLedger.Node.Records;

/// <summary>
/// The custodian's gate to its vault. Create: validate FHIR → encrypt into the vault → register the
/// record on the ledger (consent to append is checked by the contract). Read: decide from ledger
/// consent → commit the access (released or refused) to the ledger → only then decrypt and return.
/// A crash between decision and release can lose a release, never its ledger entry.
/// </summary>
public sealed class Gatekeeper(LedgerNode node, DocumentVault vault, RecordIndex index, OrganisationSigner custodian, TimeProvider clock,
    Action? afterAccessLogged = null)
{
    /// <summary>
    /// The organisation whose vault this is: the one the custodian key belongs to. Null while the ledger does
    /// not (yet) know that key as an active organisation key, e.g. on a node still catching up; the vault
    /// then serves no one.
    /// </summary>
    public string? Custodian => custodian.Organisation;

    /// <summary>Stores a FHIR resource for <paramref name="patient"/> on behalf of <paramref name="author"/>.</summary>
    public async Task<GateResult> CreateAsync(Caller author, string patient, string category, string resourceType, string json, CancellationToken cancellationToken)
    {
        var (resource, outcome) = FhirResourceReader.Read(json);
        if (resource is null)
        {
            return new GateResult(400, "fhir.invalid", outcome!, null, null);
        }
        if (resource.TypeName != resourceType)
        {
            return GateResult.Refused(400, "fhir.type_mismatch", $"The body is a {resource.TypeName}, not a {resourceType}.");
        }
        var (refusal, recordId) = await StoreAsync(author, patient, category, resourceType,
            FhirBytes(resource), FhirMediaType, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        resource.Id = FhirId(recordId!);
        resource.Meta = new Meta { VersionId = "1" };
        return new GateResult(201, "records.registered", resource, recordId, 1);
    }

    /// <summary>Stores a binary document (scan, PDF) as a record of FHIR type Binary.</summary>
    public async Task<GateResult> CreateBinaryAsync(Caller author, string patient, string category, byte[] content, string mediaType, CancellationToken cancellationToken)
    {
        var (refusal, recordId) = await StoreAsync(author, patient, category, "Binary", content, mediaType, cancellationToken);
        return refusal ?? new GateResult(201, "records.registered", new Binary { Id = FhirId(recordId!), ContentType = mediaType }, recordId, 1);
    }

    /// <summary>Reads a version (latest when null) of a FHIR record for <paramref name="purpose"/>; every attempt is on the ledger first.</summary>
    public async Task<GateResult> ReadAsync(Caller caller, string recordId, int? version, string purpose, CancellationToken cancellationToken)
    {
        var record = StateJson.Read<RecordEntry>(node.Engine.State.Get(RecordKeys.Record(recordId)));
        if (record?.ResourceType == "Binary")
        {
            return GateResult.Refused(404, "not_found", $"Record {recordId} is a binary document: read it from /api/v1/documents.");
        }
        var (refusal, content, mediaType, v, decision) = await ReleaseAsync(caller, recordId, record, version, purpose, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        if (mediaType != FhirMediaType)
        {
            return GateResult.Refused(404, "not_found", $"Record {recordId} is a {mediaType} document: read it from /api/v1/documents.");
        }
        return new GateResult(200, decision!.Reason, ForPurpose(AsFhir(content!, recordId, v), caller, purpose, decision), recordId, v);
    }

    /// <summary>
    /// Reads a record's bytes as stored (any media type), through the same gate as <see cref="ReadAsync"/>. A document cannot be
    /// de-identified, so a research read of one needs a grant that names the researcher individually.
    /// </summary>
    public async Task<(GateResult? Refusal, byte[]? Content, string? MediaType)> ReadDocumentAsync(Caller caller, string recordId, int? version, string purpose, CancellationToken cancellationToken)
    {
        var record = StateJson.Read<RecordEntry>(node.Engine.State.Get(RecordKeys.Record(recordId)));
        var (refusal, content, mediaType, _, decision) = await ReleaseAsync(caller, recordId, record, version, purpose, cancellationToken);
        if (refusal is null && MustDeidentify(caller, purpose, decision!))
        {
            return (GateResult.Refused(403, "records.identifiable_research", "A document is released for research only under a grant naming you individually."), null, null);
        }
        return (refusal, content, mediaType);
    }

    // A research read gets the de-identified copy unless its grant names the researcher individually, or it is the custodian's own
    // processing (trial screening of its patients), which sees the plaintext it holds anyway.
    private Resource ForPurpose(Resource resource, Caller caller, string purpose, AccessDecision decision) =>
        MustDeidentify(caller, purpose, decision) ? ResearchDeidentification.Apply(resource) : resource;

    private bool MustDeidentify(Caller caller, string purpose, AccessDecision decision) =>
        !(caller is { Kind: "organisation" } && caller.Id == Custodian) && ResearchDeidentification.Applies(node.Engine.State, caller, purpose, decision);

    // Encrypt into the vault, then register on the ledger (the contract checks consent to append); shred on refusal.
    private async Task<(GateResult? Refusal, string? RecordId)> StoreAsync(Caller author, string patient, string category, string resourceType,
        byte[] content, string mediaType, CancellationToken cancellationToken)
    {
        if (author.Organisation != Custodian || author.Kind != "member")
        {
            return (GateResult.Refused(403, RecordErrors.NotAuthorised, $"Only staff of {Custodian} add records to its vault."), null);
        }
        var (result, refusal) = await StoreAndRegisterAsync(content, mediaType, saltedHash => ("records.register", new
        {
            patient,
            category,
            resourceType,
            saltedHash,
            author = author.Id,
        }), cancellationToken);
        return refusal is not null ? (refusal, null) : (null, result!.Events.Single(e => e.Type == "records.registered").Attributes["record"]);
    }

    /// <summary>
    /// Encrypts <paramref name="content"/> into the vault, then submits (with the custodian's key) the transaction that
    /// <paramref name="registration"/> builds from its salted hash and that registers it as a record (records.register, or a
    /// prescription's or fill's own transaction); indexes the registered record, or shreds the content when the ledger refuses.
    /// </summary>
    public async Task<(TransactionResult? Result, GateResult? Refusal)> StoreAndRegisterAsync(byte[] content, string mediaType,
        Func<string, (string Type, object Args)> registration, CancellationToken cancellationToken)
    {
        StoredDocument stored;
        try
        {
            stored = vault.Put(content, mediaType);
        }
        catch (VaultException ex)
        {
            return (null, GateResult.Refused(413, ex.Code, ex.Message));
        }
        var (type, args) = registration(stored.SaltedHash);
        var (result, refusal) = await SubmitAsync(type, args, cancellationToken);
        Operations.NodeMetrics.Decided("create", result is null ? "not_logged" : result.Status == TransactionStatus.Committed ? "permit" : "deny");
        if (result?.Status != TransactionStatus.Committed)
        {
            vault.Erase(stored.Address);
            return (result, refusal ?? GateResult.Refused(403, result!.Code!, result.Message!));
        }
        index.Append(result.Events.Single(e => e.Type == "records.registered").Attributes["record"], stored.Address);
        return (result, null);
    }

    /// <summary>A FHIR resource as the bytes the vault keeps.</summary>
    public static byte[] FhirBytes(Resource resource) => Encoding.UTF8.GetBytes(FhirResourceReader.ToJson(resource));

    public const string FhirMediaType = "application/fhir+json";

    // Decide, commit the access (released or refused), and only then release. A permitted read is decrypted while its access
    // entry is being committed; the plaintext stays in this method unless the entry commits.
    private async Task<(GateResult? Refusal, byte[]? Content, string? MediaType, int Version, AccessDecision? Decision)> ReleaseAsync(
        Caller caller, string recordId, RecordEntry? record, int? version, string purpose, CancellationToken cancellationToken)
    {
        if (record is null || record.Custodian != Custodian)
        {
            return (GateResult.Refused(404, "not_found", $"No record {recordId} in this vault."), null, null, 0, null);
        }
        if (record.Status == "erased")
        {
            return (GateResult.Refused(410, RecordErrors.Erased, $"Record {recordId} was erased at the patient's request."), null, null, 0, null);
        }
        var v = version ?? record.Versions.Count;
        if (v < 1 || v > record.Versions.Count)
        {
            return (GateResult.Refused(404, "not_found", $"Record {recordId} has no version {v}."), null, null, 0, null);
        }
        var decision = AccessDecisionPoint.Decide(node.Engine.State,
            new AccessRequest(caller, record.Patient, record.AsRef(), "read", purpose, clock.GetUtcNow().ToUnixTimeMilliseconds()));
        // A version on the ledger that this vault does not hold (registered or amended outside the gatekeeper) cannot be released:
        // the entry says so (withheld) instead of recording a release that never happens.
        var address = decision.Permit ? index.Address(recordId, v) : null;
        var releasable = decision.Permit && address is not null;
        var logging = LogAccessAsync(caller, recordId, v, purpose, releasable, cancellationToken);
        var content = releasable ? vault.Get(address!) : null;
        var logged = await logging;
        Operations.NodeMetrics.Decided("read", !logged ? "not_logged" : releasable ? "permit" : decision.Permit ? "withheld" : "deny");
        if (!logged)
        {
            return (GateResult.Refused(503, "records.access_not_logged", "The access could not be recorded on the ledger, so nothing is released."), null, null, v, null);
        }
        afterAccessLogged?.Invoke();
        if (!decision.Permit)
        {
            return (GateResult.Refused(403, decision.Reason, $"Access denied: {decision.Reason}."), null, null, v, decision);
        }
        if (!releasable)
        {
            return (GateResult.Refused(409, RecordErrors.NotInVault,
                $"Version {v} of {recordId} is on the ledger but not in this custodian's vault (written outside the gatekeeper); nothing is released, and the read is logged as withheld."),
                null, null, v, decision);
        }
        return (null, content, vault.MediaTypeOf(address!), v, decision);
    }

    /// <summary>
    /// The latest version of every record of <paramref name="patient"/> of <paramref name="resourceType"/> held here that the caller
    /// may read and that matches <paramref name="search"/>, as a searchset Bundle. A <c>code</c> filter is evaluated by the custodian
    /// on its own decrypted copies; only what is returned is released, and each release's access entry is committed before the
    /// Bundle is built. Records the caller may not read are left out unseen; <c>_count</c> caps the entries, <c>total</c> counts
    /// every match.
    /// </summary>
    public async Task<GateResult> SearchAsync(Caller caller, string patient, string resourceType, string purpose, FhirSearch search,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var permitted = StateJson.ReadIds(node.Engine.State, RecordKeys.PatientRecords(patient))
            .Select(id => StateJson.Read<RecordEntry>(node.Engine.State.Get(RecordKeys.Record(id)))!)
            // Binary documents are not FHIR JSON in the vault; they are read one by one from /api/v1/documents.
            .Where(r => r.Custodian == Custodian && r.Status == "active" && r.ResourceType == resourceType && resourceType != "Binary")
            .Select(r => (Record: r, Decision: AccessDecisionPoint.Decide(node.Engine.State, new AccessRequest(caller, patient, r.AsRef(), "read", purpose, now))))
            .Where(x => x.Decision.Permit)
            .Select(x => (x.Record, x.Decision, Address: index.Address(x.Record.Id, x.Record.Versions.Count)))
            .ToList();
        // Without a code filter nothing is decrypted to choose; what is released is decrypted once, below.
        var matches = permitted.Where(x => x.Address is not null)
            .Select(x => (x.Record, x.Decision, Content: search.Codes is null ? null : vault.Get(x.Address!), x.Address))
            .Where(x => x.Content is null || search.Matches(x.Content))
            .ToList();
        var released = matches.Take(search.Count ?? int.MaxValue).ToList();
        // What cannot be released (not in this vault) is logged as withheld; what is released is logged first.
        var notInVault = permitted.Where(x => x.Address is null).ToList();
        var logged = await System.Threading.Tasks.Task.WhenAll(
            released.Select(x => LogAccessAsync(caller, x.Record.Id, x.Record.Versions.Count, purpose, true, cancellationToken))
                .Concat(notInVault.Select(x => LogAccessAsync(caller, x.Record.Id, x.Record.Versions.Count, purpose, false, cancellationToken))));
        var bundle = new Bundle { Type = Bundle.BundleType.Searchset, Total = matches.Count };
        var withheld = notInVault.Select(x => FhirId(x.Record.Id)).ToList();
        for (var i = 0; i < released.Count; i++)
        {
            var (record, decision, content, address) = released[i];
            if (!logged[i])
            {
                withheld.Add(FhirId(record.Id));
                continue;
            }
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                Resource = ForPurpose(AsFhir(content ?? vault.Get(address!), record.Id, record.Versions.Count), caller, purpose, decision),
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
            });
        }
        // Records the caller may read but that could not be released are named in an outcome entry, never silently dropped.
        if (withheld.Count > 0)
        {
            var outcome = FhirResourceReader.Invalid($"{withheld.Count} record(s) the caller may read could not be released here " +
                $"(not in this custodian's vault, or the access entry did not commit): {string.Join(", ", withheld)}.");
            outcome.Issue[0].Severity = OperationOutcome.IssueSeverity.Warning;
            outcome.Issue[0].Code = OperationOutcome.IssueType.Incomplete;
            bundle.Entry.Add(new Bundle.EntryComponent { Resource = outcome, Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Outcome } });
        }
        return new GateResult(200, "ok", bundle, null, null);
    }

    /// <summary>
    /// Crypto-shreds this vault's copies of records the patient erased in <paramref name="block"/>: the
    /// contract records the erasure, the custodian destroys keys and ciphertext of every version.
    /// </summary>
    public void ShredErased(Block block)
    {
        foreach (var e in block.Results.SelectMany(r => r.Events).Where(e => e.Type == "records.erased" && e.Attributes["custodian"] == Custodian))
        {
            foreach (var address in index.Addresses(e.Attributes["record"]))
            {
                vault.Erase(address);
            }
        }
    }

    // The access entry (released or refused) that must be on the ledger before anything leaves the vault.
    private async Task<bool> LogAccessAsync(Caller caller, string recordId, int version, string purpose, bool released, CancellationToken cancellationToken)
    {
        // The contract decides again at block time; a permit that lapsed in between is rejected there, and nothing is released.
        var (logged, _) = await SubmitAsync("records.access", new
        {
            record = recordId,
            version,
            accessor = caller.Id,
            purpose,
            permit = released,
        }, cancellationToken);
        return logged?.Status == TransactionStatus.Committed;
    }

    // A stored FHIR document as the resource the API returns: its FHIR id and version are the ledger's.
    private static Resource AsFhir(byte[] content, string recordId, int version)
    {
        var (resource, _) = FhirResourceReader.Read(Encoding.UTF8.GetString(content));
        resource!.Id = FhirId(recordId);
        resource.Meta = new Meta { VersionId = version.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        return resource;
    }

    /// <summary>The FHIR id of a record: its 32 hex digits (FHIR ids cannot hold a colon).</summary>
    public static string FhirId(string recordId) => recordId["record:".Length..];

    // Signs with the custodian's key and waits for the block: the result, or why there is none.
    private async Task<(TransactionResult? Result, GateResult? Refusal)> SubmitAsync(string type, object args, CancellationToken cancellationToken)
    {
        var submission = await custodian.SubmitAsync(type, args, cancellationToken);
        return submission.Result is { } result
            ? (result, null)
            : (null, GateResult.Refused(submission.Code == "commit.timeout" ? 504 : 503, submission.Code!, submission.Message!));
    }
}

/// <summary>What the gatekeeper answers: an HTTP status, a stable code, and a resource or an OperationOutcome.</summary>
public sealed record GateResult(int Status, string Code, Resource Resource, string? RecordId, int? Version)
{
    public static GateResult Refused(int status, string code, string message)
    {
        var outcome = FhirResourceReader.Invalid($"{code}: {message}");
        outcome.Issue[0].Details = new CodeableConcept("https://careledger.example/codes", code);
        if (status == 403)
        {
            outcome.Issue[0].Code = OperationOutcome.IssueType.Forbidden;
        }
        return new GateResult(status, code, outcome, null, null);
    }
}
