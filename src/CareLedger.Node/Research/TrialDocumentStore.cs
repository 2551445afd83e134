using System.Security.Cryptography;
using CareLedger.Contracts;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Identity;
using CareLedger.Contracts.Trials;
using CareLedger.Node.Records;
using CareLedger.Vault;

namespace CareLedger.Node.Research;

/// <summary>
/// Essential trial documents (protocol, statistical analysis plan, consent forms, data submissions) kept encrypted in this node's vault
/// and anchored on the ledger by their SHA-256, version by version. Anyone holding a copy can check it against the anchors: a copy
/// changed after anchoring matches no version.
/// </summary>
public sealed class TrialDocumentStore(LedgerNode node, DocumentVault vault, RecordIndex index, OrganisationSigner signer)
{
    /// <summary>Stores the next version of a document from the sponsor's or a site's staff (this node's organisation) and anchors it.</summary>
    public async Task<(DocumentVersion? Version, Refusal? Refusal)> StoreAsync(Caller staff, string trialId, string document, string kind, string? subject,
        byte[] content, string mediaType, CancellationToken cancellationToken)
    {
        var trial = StateJson.Read<TrialRecord>(node.Engine.State.Get(TrialKeys.Trial(trialId)));
        if (trial is null)
        {
            return (null, new Refusal(404, TrialErrors.UnknownTrial, $"No trial {trialId}."));
        }
        if (staff.Kind != "member" || staff.Organisation != signer.Organisation || !IsParty(trial, staff.Organisation))
        {
            return (null, new Refusal(403, TrialErrors.NotAuthorised, $"Documents of {trial.Id} are stored by staff of its sponsor or sites, at their own node."));
        }
        StoredDocument stored;
        try
        {
            stored = vault.Put(content, mediaType);
        }
        catch (VaultException ex)
        {
            return (null, new Refusal(413, ex.Code, ex.Message));
        }
        var current = Current(trial.Id, document);
        var anchored = await signer.SubmitAsync("trial.anchor", new
        {
            trial = trial.Id,
            document,
            kind,
            subject,
            version = (current?.Versions.Count ?? 0) + 1,
            hash = Convert.ToHexStringLower(SHA256.HashData(content)),
        }, cancellationToken);
        if (!anchored.Committed)
        {
            vault.Erase(stored.Address);
            return (null, Refusal.From(anchored));
        }
        index.Append(IndexKey(trial.Id, document), stored.Address);
        return (Current(trial.Id, document)!.Versions[^1], null);
    }

    /// <summary>A version's bytes (latest when null) for the sponsor's or sites' staff and regulators.</summary>
    public (byte[]? Content, string? MediaType, Refusal? Refusal) Read(Caller caller, string trialId, string document, int? version)
    {
        var trial = StateJson.Read<TrialRecord>(node.Engine.State.Get(TrialKeys.Trial(trialId)));
        if (trial is null || Current(trialId, document) is not { } record)
        {
            return (null, null, new Refusal(404, "not_found", $"No document {document} of {trialId}."));
        }
        if (caller.Kind == "patient" || (!IsParty(trial, caller.Organisation) && OrganisationKinds.Of(node.Engine.State, caller.Organisation) != "Regulator"))
        {
            return (null, null, new Refusal(403, TrialErrors.NotAuthorised, "Trial documents are read by the sponsor, the sites and regulators."));
        }
        var address = index.Address(IndexKey(trialId, document), version ?? record.Versions.Count);
        return address is null
            ? (null, null, new Refusal(404, "not_found", $"This node's vault holds no version {version ?? record.Versions.Count} of {document}."))
            : (vault.Get(address), vault.MediaTypeOf(address), null);
    }

    /// <summary>Which anchored version, if any, <paramref name="content"/> is: null when it matches none (changed after anchoring).</summary>
    public DocumentCheck? Verify(string trialId, string document, byte[] content)
    {
        if (Current(trialId, document) is not { } record)
        {
            return null;
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        var match = record.Versions.FirstOrDefault(v => v.Hash == hash);
        return new DocumentCheck(document, hash, match?.Version, record.Versions.Count, match is null, match is not null && match.Version < record.Versions.Count);
    }

    public TrialDocumentRecord? Current(string trial, string document) =>
        StateJson.Read<TrialDocumentRecord>(node.Engine.State.Get(TrialKeys.Document(trial, document)));

    private static bool IsParty(TrialRecord trial, string organisation) => trial.Sponsor == organisation || trial.Sites.Any(s => s.Site == organisation);

    // Trial and document ids are of [a-z0-9._-] (and "trial:"), safe in the index's file names.
    private static string IndexKey(string trial, string document) => $"{trial}.{document}";
}

/// <summary>
/// A copy checked against the anchors: its SHA-256, the version it matches (null when none: it was changed after anchoring), the
/// latest version, and whether it is superseded.
/// </summary>
public sealed record DocumentCheck(string Document, string Hash, int? MatchesVersion, int LatestVersion, bool Altered, bool Superseded);
