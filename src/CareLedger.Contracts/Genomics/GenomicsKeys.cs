namespace CareLedger.Contracts.Genomics;

/// <summary>State keys of the genomics contract.</summary>
public static class GenomicsKeys
{
    public const string DatasetPrefix = "gen/dataset/";

    public static string Dataset(string id) => DatasetPrefix + id;

    public static string DatasetsOf(string owner) => $"gen/datasets/{owner}";

    public static string Request(string id) => $"gen/request/{id}";

    public static string RequestsOf(string dataset) => $"gen/requests/{dataset}";

    public static string Grant(string id) => $"gen/grant/{id}";

    /// <summary>One download attempt (released or refused); <see cref="AccessPrefix"/> lists a dataset's.</summary>
    public static string Access(string dataset, string transaction) => AccessPrefix(dataset) + transaction;

    public static string AccessPrefix(string dataset) => $"gen/access/{dataset}/";

    public const string QueryPrefix = "gen/query/";

    public static string Query(string transaction) => QueryPrefix + transaction;

    /// <summary>How many variant queries an asker made at a custodian on a UTC day (days since the epoch).</summary>
    public static string QueriesOf(string asker, string custodian, long day) => $"gen/queries/{asker}/{custodian}/{day}";
}
