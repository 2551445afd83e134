using System.Text.Json;

namespace CareLedger.Node.Records;

/// <summary>
/// The custodian's own, off-ledger map from a record's versions to vault addresses
/// (<c>vault/index/&lt;record&gt;.json</c>, the list of addresses by version).
/// </summary>
public sealed class RecordIndex(string directory)
{
    private readonly Lock _gate = new();

    /// <summary>The vault address of a version (1-based), or null.</summary>
    public string? Address(string recordId, int version)
    {
        var versions = Read(recordId);
        return version >= 1 && version <= versions.Count ? versions[version - 1] : null;
    }

    /// <summary>Every version's address.</summary>
    public IReadOnlyList<string> Addresses(string recordId) => Read(recordId);

    /// <summary>Records the address of the next version.</summary>
    public void Append(string recordId, string address)
    {
        lock (_gate)
        {
            var versions = Read(recordId);
            versions.Add(address);
            Directory.CreateDirectory(directory);
            var temp = PathOf(recordId) + ".tmp";
            File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(versions));
            File.Move(temp, PathOf(recordId), overwrite: true);
        }
    }

    private List<string> Read(string recordId) =>
        File.Exists(PathOf(recordId)) ? JsonSerializer.Deserialize<List<string>>(File.ReadAllBytes(PathOf(recordId))) ?? [] : [];

    // Record ids are "record:" + 32 hex digits (checked by the caller), safe as file names.
    private string PathOf(string recordId) => Path.Combine(directory, recordId.Replace(':', '_') + ".json");
}
