using System.Diagnostics;
using System.Text.Json;

namespace CareLedger.Node.Operations;

/// <summary>
/// An online, consistent copy of a solo node's data directory, taken while the node keeps committing: the ledger first, with
/// SQLite's online backup API (one committed block's snapshot), then the vault (documents and record index), the keys (node,
/// organisation and key-encryption keys, the statistics noise key), the genesis document, the custodial wallet and the witness
/// list. Vault files are content-addressed and written before a record is registered, so every record in the ledger copy has its
/// document in the vault copy. The copy holds private keys: it is written owner-only and belongs on storage as protected as the
/// node's own. A consortium node is not backed up this way: it recovers from its peers (docs/consortium.md).
/// </summary>
public static class NodeBackup
{
    /// <summary>What was copied: chain, the ledger copy's head height, files and bytes, and how long it took.</summary>
    public sealed record Manifest(string Chain, long Height, long HeightWhenStarted, int Files, long Bytes, long Milliseconds, long CreatedAt);

    public const string ManifestFile = "backup.json";

    private static readonly string[] Directories = ["vault", "keys", "wallet"];
    private static readonly string[] Files = ["genesis.cbor", "witnesses"];

    /// <summary>Writes the backup into <paramref name="directory"/>, which must be absolute and new or empty.</summary>
    public static Manifest Write(LedgerNode node, string directory, TimeProvider clock)
    {
        if (node.Raft is not null)
        {
            throw new BackupException("backup.consortium", "A consortium node recovers from its peers; back up its keys and network file instead (docs/consortium.md).");
        }
        if (!Path.IsPathFullyQualified(directory))
        {
            throw new BackupException("backup.bad_directory", "Give the backup directory as an absolute path on the node's machine.");
        }
        var target = Path.GetFullPath(directory);
        var root = Path.GetFullPath(node.Data.Root);
        if (target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || target == root)
        {
            throw new BackupException("backup.bad_directory", "The backup cannot go inside the node's own data directory.");
        }
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new BackupException("backup.exists", $"{target} is not empty; a backup never overwrites.");
        }
        var clockStarted = Stopwatch.GetTimestamp();
        var heightWhenStarted = node.Engine.Head.Header.Height;
        CreateOwnerOnly(target);
        var height = node.Store.BackupTo(Path.Combine(target, "ledger.db"));
        var (files, bytes) = (1, new FileInfo(Path.Combine(target, "ledger.db")).Length);
        foreach (var name in Files.Where(f => File.Exists(Path.Combine(root, f))))
        {
            bytes += Copy(Path.Combine(root, name), Path.Combine(target, name));
            files++;
        }
        foreach (var sub in Directories.Where(d => Directory.Exists(Path.Combine(root, d))))
        {
            // Atomic writes leave *.tmp files for a moment; the renamed file is the one that counts.
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, sub), "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal)))
            {
                var to = Path.Combine(target, Path.GetRelativePath(root, file));
                CreateOwnerOnly(Path.GetDirectoryName(to)!);
                try
                {
                    bytes += Copy(file, to);
                    files++;
                }
                catch (FileNotFoundException)
                {
                    // Shredded (an erasure) between listing and copying: gone from the node too.
                }
            }
        }
        var manifest = new Manifest(node.Engine.Chain, height, heightWhenStarted, files, bytes,
            (long)Stopwatch.GetElapsedTime(clockStarted).TotalMilliseconds, clock.GetUtcNow().ToUnixTimeMilliseconds());
        File.WriteAllBytes(Path.Combine(target, ManifestFile), JsonSerializer.SerializeToUtf8Bytes(manifest, CareLedger.Client.CareLedgerClient.Json));
        return manifest;
    }

    private static long Copy(string from, string to)
    {
        File.Copy(from, to);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(to, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return new FileInfo(to).Length;
    }

    private static void CreateOwnerOnly(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}

/// <summary>Why a backup was refused, with a stable code.</summary>
public sealed class BackupException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
