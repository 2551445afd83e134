using System.CommandLine;
using System.Text.Json;
using CareLedger.Node.Operations;

namespace CareLedger.Cli.Commands;

/// <summary>
/// <c>backup</c>: asks a running node for an online backup into a new directory on its machine. <c>restore</c>: copies a backup
/// into a new data directory (never over one that holds anything) and audits it in full before saying it is usable.
/// </summary>
internal static class BackupCommands
{
    public static Command Backup(CliOutput output)
    {
        var connection = new NodeConnection();
        var into = new Option<string>("--out") { Description = "New or empty directory on the node's machine (absolute, or relative to here when the node runs here).", Required = true };
        var cmd = new Command("backup", "Take an online backup of a running node (ledger, vault, keys) while it keeps committing.") { into };
        connection.AddTo(cmd);
        cmd.SetAction((parse, ct) => connection.RunAsync(parse, output, async (client, _) =>
        {
            var manifest = await client.PostJsonAsync<JsonElement>("api/v1/operations/backup", new { directory = Path.GetFullPath(parse.GetValue(into)!) }, ct);
            output.Json(manifest);
            return ExitCodes.Ok;
        }, ct));
        return cmd;
    }

    public static Command Restore(CliOutput output)
    {
        var from = new Option<string>("--from") { Description = "A backup directory (it holds backup.json).", Required = true };
        var data = new Option<string>("--data") { Description = "The new data directory: must not exist or be empty.", Required = true };
        var cmd = new Command("restore", "Restore a backup into a new data directory and audit it in full (exit 1 if it does not verify).") { from, data };
        cmd.SetAction(parse =>
        {
            var (source, target) = (Path.GetFullPath(parse.GetValue(from)!), Path.GetFullPath(parse.GetValue(data)!));
            if (!File.Exists(Path.Combine(source, NodeBackup.ManifestFile)) || !File.Exists(Path.Combine(source, "ledger.db")))
            {
                return output.Fail(ExitCodes.Malformed, $"{source} is not a CareLedger backup (no {NodeBackup.ManifestFile} and ledger.db).");
            }
            if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            {
                return output.Fail(ExitCodes.Invalid, $"restore.target_not_empty: {target} holds files; restore never overwrites a data directory (a live node's, perhaps).");
            }
            var manifest = JsonSerializer.Deserialize<NodeBackup.Manifest>(File.ReadAllBytes(Path.Combine(source, NodeBackup.ManifestFile)), Client.CareLedgerClient.Json)!;
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var to = Path.Combine(target, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(file, to);
            }
            File.Delete(Path.Combine(target, NodeBackup.ManifestFile));
            var report = AuditCommands.AuditDataDirectory(target, output);
            output.EndProgress();
            output.Json(new { restored = target, chain = manifest.Chain, height = manifest.Height, verified = report.Passed, transactions = report.Transactions, failure = report.Failure?.ToString() });
            return report.Passed ? ExitCodes.Ok : output.Fail(ExitCodes.Invalid, $"the restored ledger does not verify: {report.Failure}");
        });
        return cmd;
    }
}
