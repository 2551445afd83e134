using System.Text.Json;
using CareLedger.Client;
using CareLedger.Core.Crypto;

namespace CareLedger.Node.Tests;

/// <summary>Online backup under load, restore into a new directory, and the refusals around both.</summary>
[Collection("network")]
public sealed class BackupTests : NodeTest
{
    private static string NewDirectory() => Path.Combine(Path.GetTempPath(), "careledger-backup-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_backup_taken_under_load_restores_into_a_node_that_verifies_and_serves_every_transaction_acknowledged_before_it()
    {
        var acknowledged = new List<Hash>();
        for (var i = 0; i < 20; i++)
        {
            var tx = Node.Factory.Create("notary.anchor", $$"""{"hash":"{{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))}}","documentType":"x"}""");
            Assert.Equal("committed", (await Node.Client.SubmitAsync(tx, TimeSpan.FromSeconds(10))).Status);
            acknowledged.Add(tx.Id);
        }
        var (backup, restored) = (NewDirectory(), NewDirectory());
        try
        {
            // Load keeps committing while the backup is taken.
            var load = CliRunner.Run("bench", "--workload", "notary", "--clients", "4", "--duration", "4", "--batch", "20", "--transactions", "40000", "--receipts", "0",
                "--node", Node.Address.ToString(), "--key", Path.Combine(Node.DataDirectory, "keys", "admin.key"));
            await Task.Delay(1500);
            var heightBefore = (await Node.Client.GetHeadAsync()).Height;
            var (exit, output, error) = await CliRunner.Run("backup", "--out", backup, "--node", Node.Address.ToString(), "--key", Path.Combine(Node.DataDirectory, "keys", "admin.key"));
            Assert.True(exit == 0, output + error);
            var manifest = JsonDocument.Parse(output).RootElement;
            Assert.True(manifest.GetProperty("height").GetInt64() >= heightBefore);
            var loaded = await load;
            Assert.True(loaded.Exit == 0, loaded.Out + loaded.Err);
            Assert.True((await Node.Client.GetHeadAsync()).Height > manifest.GetProperty("height").GetInt64(), "the node kept committing after the backup");
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(backup, "keys", "admin.key")));
            }

            (exit, output, error) = await CliRunner.Run("restore", "--from", backup, "--data", restored);
            Assert.True(exit == 0, output + error);
            Assert.True(JsonDocument.Parse(output).RootElement.GetProperty("verified").GetBoolean());

            await using var node = await InProcessNode.StartAsync(restored);
            Assert.Equal(manifest.GetProperty("height").GetInt64(), (await node.Client.GetHeadAsync()).Height);
            foreach (var id in acknowledged)
            {
                Assert.Equal("committed", (await node.Client.GetTransactionAsync(id)).Status);
            }
        }
        finally
        {
            foreach (var dir in new[] { backup, restored })
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
        }
    }

    [Fact]
    public async Task Only_the_node_operator_backs_up_never_over_anything_and_restore_never_overwrites()
    {
        using var member = SigningKey.Generate();
        await CareSetup.CommitAsync(Node.Client, Node.AdminKey, Node.Chain, "identity.enrol_member",
            $$"""{"member":"member:it-staff","roles":["security-officer"],"publicKey":"{{Convert.ToBase64String(member.PublicKey.SubjectPublicKeyInfo)}}"}""");
        var target = NewDirectory();
        var asMember = new CareLedgerClient(Node.Http, member, Node.Chain);
        var refused = await Assert.ThrowsAsync<CareLedgerException>(() => asMember.PostJsonAsync<JsonElement>("api/v1/operations/backup", new { directory = target }));
        Assert.Equal(403, refused.Status);
        // Another organisation's own key is no operator of this node either.
        using var pharmacy = await CareSetup.AdmitAsync(Node, "org:other-pharmacy", "Pharmacy");
        var asOtherOrganisation = new CareLedgerClient(Node.Http, pharmacy, Node.Chain);
        Assert.Equal(403, (await Assert.ThrowsAsync<CareLedgerException>(() => asOtherOrganisation.PostJsonAsync<JsonElement>("api/v1/operations/backup", new { directory = target }))).Status);
        Assert.False(Directory.Exists(target));

        var occupied = NewDirectory();
        Directory.CreateDirectory(occupied);
        await File.WriteAllTextAsync(Path.Combine(occupied, "precious.txt"), "keep me");
        try
        {
            Assert.Equal("backup.exists", (await Assert.ThrowsAsync<CareLedgerException>(() => Node.Client.PostJsonAsync<JsonElement>("api/v1/operations/backup", new { directory = occupied }))).Code);
            Assert.Equal("backup.bad_directory", (await Assert.ThrowsAsync<CareLedgerException>(() => Node.Client.PostJsonAsync<JsonElement>("api/v1/operations/backup", new { directory = "relative/path" }))).Code);
            Assert.Equal("backup.bad_directory", (await Assert.ThrowsAsync<CareLedgerException>(() =>
                Node.Client.PostJsonAsync<JsonElement>("api/v1/operations/backup", new { directory = Path.Combine(Node.DataDirectory, "copy") }))).Code);
            Assert.Equal("keep me", await File.ReadAllTextAsync(Path.Combine(occupied, "precious.txt")));

            // restore refuses a directory that holds anything, such as a live node's.
            var backup = NewDirectory();
            await Node.Client.PostJsonAsync<JsonElement>("api/v1/operations/backup", new { directory = backup });
            var (exit, output, error) = await CliRunner.Run("restore", "--from", backup, "--data", Node.DataDirectory);
            Assert.Equal(1, exit);
            Assert.Contains("restore.target_not_empty", output + error, StringComparison.Ordinal);
            (exit, _, error) = await CliRunner.Run("restore", "--from", occupied, "--data", NewDirectory());
            Assert.Equal(2, exit);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
            Directory.Delete(backup, recursive: true);
        }
        finally
        {
            Directory.Delete(occupied, recursive: true);
        }
    }
}
