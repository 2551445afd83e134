using System.Text.Json;
using CareLedger.Core.Crypto;

namespace CareLedger.Core.Tests.Merkle;

/// <summary>The RFC 6962 reference data in Vectors/rfc6962-merkle.json.</summary>
internal static class MerkleVectors
{
    private static readonly JsonDocument Document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "rfc6962-merkle.json")));

    public static IReadOnlyList<byte[]> Leaves { get; } =
        Document.RootElement.GetProperty("leaves").EnumerateArray().Select(e => Convert.FromHexString(e.GetString()!)).ToList();

    public static IReadOnlyList<Hash> Roots { get; } =
        Document.RootElement.GetProperty("roots").EnumerateArray().Select(e => Hash.Parse(e.GetString()!)).ToList();

    public static IEnumerable<(long Index, long Size, List<Hash> Proof)> Inclusion =>
        Document.RootElement.GetProperty("inclusion").EnumerateArray().Select(e =>
            (e.GetProperty("index").GetInt64(), e.GetProperty("size").GetInt64(), Proof(e)));

    public static IEnumerable<(long Size1, long Size2, List<Hash> Proof)> Consistency =>
        Document.RootElement.GetProperty("consistency").EnumerateArray().Select(e =>
            (e.GetProperty("size1").GetInt64(), e.GetProperty("size2").GetInt64(), Proof(e)));

    private static List<Hash> Proof(JsonElement e) => e.GetProperty("proof").EnumerateArray().Select(p => Hash.Parse(p.GetString()!)).ToList();
}
