using CareLedger.Node.Statistics;

namespace CareLedger.Node.Tests;

/// <summary>What a node releases for a count under its sticky noise: computed from the node's own noise key, so tests stay exact.</summary>
internal static class ReleasedCount
{
    public static long? Of(string dataDirectory, string question, long count, long milliEpsilon = 1000, int k = 5)
    {
        var released = StickyNoise.OpenOrCreate(Path.Combine(dataDirectory, "keys", "noise.key")).Release(question, count, milliEpsilon);
        return released >= k ? released : null;
    }
}
