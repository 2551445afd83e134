namespace CareLedger.Benchmarks;

/// <summary>Sizes of what a benchmark left on disk.</summary>
internal static class BenchmarkFiles
{
    /// <summary>
    /// The store's size in MiB: the database file and its write-ahead log, which holds the blocks written since the last
    /// checkpoint (up to 1 GiB of them).
    /// </summary>
    public static long StoreMiB(string databasePath) =>
        new[] { databasePath, databasePath + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length) / 1024 / 1024;
}
