namespace CareLedger.Contracts.Genomics;

/// <summary>
/// An encrypted genomic dataset in a custodian's vault: its owner (a patient or an organisation), the salted hash of the file, and
/// descriptive metadata that identifies no one (assay, reference build, mean coverage, file format). <see cref="Listing"/> holds
/// the terms it is offered on; <see cref="Earned"/> what access to it has paid its owner. Status: active, withdrawn.
/// </summary>
public sealed record DatasetRecord(string Id, string Owner, string Custodian, string SaltedHash, string Assay, string ReferenceBuild, int Coverage,
    string Format, long Registered, Listing? Listing, long Earned, string Status);

/// <summary>
/// The owner's terms: price per grant (minor units), permitted purposes, how long a grant lasts, whether commercial use is allowed,
/// a standing rule that approves matching requests at once, whether the dataset answers variant (beacon) queries, and whether
/// the listing takes requests at all.
/// </summary>
public sealed record Listing(long Price, string Currency, IReadOnlyList<string> Purposes, int DurationDays, bool Commercial, bool AutoApprove,
    bool Beacon, bool Open);

/// <summary>A researcher's request for access. Status: pending, approved (then <see cref="Grant"/>), denied.</summary>
public sealed record GenomicRequest(string Id, string Dataset, string Researcher, string Organisation, string Purpose, bool Commercial,
    long Time, string Status, string? Grant);

/// <summary>A paid access grant: who may download, for what purpose, until when; status active or revoked; downloads so far.</summary>
public sealed record GenomicGrant(string Id, string Dataset, string Grantee, string Organisation, string Purpose, long Paid, string Currency,
    long Granted, long Expires, string Status, int Downloads);

/// <summary>A download attempt as recorded before anything leaves the vault: who, under which grant, and whether it was released.</summary>
public sealed record GenomicAccess(string Dataset, string Grant, string Accessor, bool Permit, string Reason, long Time, string Transaction);

/// <summary>A variant query answered by a custodian: the variant, how many consenting datasets carry it (null when below k), who asked.</summary>
public sealed record BeaconQuery(string Variant, string Custodian, string Asker, int? Count, int K, long Time, string Transaction);
