using System.Security.Cryptography;
using CareLedger.Contracts;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Genomics;
using CareLedger.Node.Records;
using CareLedger.Vault;

namespace CareLedger.Node.Research;

/// <summary>
/// The custodian's side of genomic data sharing: it keeps datasets encrypted in its vault, registers them for their owners, releases a
/// download only after the ledger has recorded the attempt and the contract has permitted it, and answers variant queries from the
/// datasets whose owners opened them to queries, with counts below k suppressed and every query recorded.
/// </summary>
public sealed class GenomicsDesk(LedgerNode node, DocumentVault vault, RecordIndex index, OrganisationSigner signer, Statistics.StickyNoise noise)
{
    public const string VcfMediaType = "text/vcf";

    /// <summary>
    /// Stores a dataset for its owner: a patient uploading their own, or this organisation's staff uploading one it owns or one of a
    /// patient who handed it over in person (the owner named). Registered on the ledger by this node's key.
    /// </summary>
    public async Task<(DatasetRecord? Dataset, Refusal? Refusal)> RegisterAsync(Caller uploader, DatasetUpload upload, byte[] content, CancellationToken cancellationToken)
    {
        var owner = uploader.Kind == "patient" ? uploader.Id : upload.Owner ?? signer.Organisation;
        if (uploader.Kind == "patient" ? upload.Owner is not null && upload.Owner != uploader.Id : uploader.Organisation != signer.Organisation)
        {
            return (null, new Refusal(403, GenomicsErrors.NotAuthorised, "A patient uploads their own dataset; staff upload to their own organisation's node."));
        }
        StoredDocument stored;
        try
        {
            stored = vault.Put(content, VcfMediaType);
        }
        catch (VaultException ex)
        {
            return (null, new Refusal(413, ex.Code, ex.Message));
        }
        var id = "dataset:" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var registered = await signer.SubmitAsync("gen.register", new
        {
            dataset = id,
            owner,
            saltedHash = stored.SaltedHash,
            assay = upload.Assay,
            referenceBuild = upload.ReferenceBuild,
            coverage = upload.Coverage,
            format = "vcf",
        }, cancellationToken);
        if (!registered.Committed)
        {
            vault.Erase(stored.Address);
            return (null, Refusal.From(registered));
        }
        index.Append(id, stored.Address);
        return (GenomicsContract.Dataset(node.Engine.State, id), null);
    }

    /// <summary>A download under a grant: the attempt is committed (and decided) by the contract first; only a permit releases the file.</summary>
    public async Task<(byte[]? Content, Refusal? Refusal)> DownloadAsync(Caller caller, string grant, CancellationToken cancellationToken)
    {
        var record = StateJson.Read<GenomicGrant>(node.Engine.State.Get(GenomicsKeys.Grant(grant)));
        if (record is null || GenomicsContract.Dataset(node.Engine.State, record.Dataset).Custodian != signer.Organisation)
        {
            return (null, new Refusal(404, GenomicsErrors.UnknownGrant, $"No grant {grant} for a dataset in this vault."));
        }
        var logged = await signer.SubmitAsync("gen.access", new { grant, accessor = caller.Id }, cancellationToken);
        if (!logged.Committed)
        {
            return (null, new Refusal(503, "gen.access_not_logged", "The download could not be recorded on the ledger, so nothing is released."));
        }
        var decision = logged.Result!.Events.Single(e => e.Type == "gen.accessed").Attributes;
        if (decision["permit"] != "true")
        {
            return (null, new Refusal(403, decision["reason"], $"Download refused: {decision["reason"]}."));
        }
        return index.Address(record.Dataset, 1) is { } address
            ? (vault.Get(address), null)
            : (null, new Refusal(410, GenomicsErrors.DatasetWithdrawn, "The dataset is no longer in this vault."));
    }

    /// <summary>ε of the noise on a Beacon count (milli-epsilon): 1.0.</summary>
    public const long BeaconMilliEpsilon = 1000;

    /// <summary>
    /// How many of this custodian's query-consenting datasets carry the variant, under sticky noise (<see cref="Statistics.StickyNoise"/>);
    /// null (suppressed) below k. Recorded on the ledger, which also holds each asker to a daily number of queries.
    /// </summary>
    public async Task<(BeaconQuery? Answer, Refusal? Refusal)> QueryAsync(Caller asker, string variantText, CancellationToken cancellationToken)
    {
        if (Variant.Parse(variantText) is not { } variant)
        {
            return (null, new Refusal(400, GenomicsErrors.BadDataset, "variant is chromosome:position:ref:alt, e.g. 17:43045712:G:A."));
        }
        var count = node.Store.ScanState(GenomicsKeys.DatasetPrefix, 1_000_000)
            .Select(row => StateJson.Read<DatasetRecord>(row.Value)!)
            .Where(d => d.Custodian == signer.Organisation && d.Status == "active" && d.Listing is { Beacon: true })
            .Count(d => index.Address(d.Id, 1) is { } address && VcfScan.Carries(vault.Get(address), variant));
        count = (int)noise.Release($"beacon|{variant}", count, BeaconMilliEpsilon);
        object args = count >= GenomicsContract.K
            ? new { variant = variant.ToString(), asker = asker.Id, count }
            : new { variant = variant.ToString(), asker = asker.Id, suppressed = true };
        var recorded = await signer.SubmitAsync("gen.beacon", args, cancellationToken);
        return recorded.Committed
            ? (StateJson.Read<BeaconQuery>(node.Engine.State.Get(GenomicsKeys.Query(recorded.Result!.TransactionId.ToString()))), null)
            : (null, Refusal.From(recorded));
    }
}

/// <summary>What an upload says about the dataset: its owner (for staff uploads), assay, reference build and mean coverage.</summary>
public sealed record DatasetUpload(string? Owner, string Assay, string ReferenceBuild, int Coverage);
