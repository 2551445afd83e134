namespace CareLedger.Contracts.Genomics;

/// <summary>Stable rejection codes of the genomics contract.</summary>
public static class GenomicsErrors
{
    public const string NotAuthorised = "gen.not_authorised";
    public const string BadDataset = "gen.bad_dataset";
    public const string UnknownDataset = "gen.unknown_dataset";
    public const string NotListed = "gen.not_listed";
    public const string PurposeNotPermitted = "gen.purpose_not_permitted";
    public const string BadRequest = "gen.bad_request";
    public const string UnknownRequest = "gen.unknown_request";
    public const string UnknownGrant = "gen.unknown_grant";
    public const string SmallCount = "gen.small_count";
    public const string QueryBudgetExhausted = "gen.query_budget_exhausted";

    // Reasons a download is refused (recorded on the ledger, not rejections).
    public const string GrantRevoked = "gen.grant_revoked";
    public const string GrantExpired = "gen.grant_expired";
    public const string NotGrantee = "gen.not_grantee";
    public const string DatasetWithdrawn = "gen.dataset_withdrawn";
}
