using System.Text.Json;
using System.Collections.Concurrent;
using CareLedger.Client;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;

namespace CareLedger.Node.Tests;

[Collection("process")]
public sealed class CrashTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "careledger-crash-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<(CareLedgerClient Client, TransactionFactory Factory, HttpClient Http)> Connect(Uri address, string data)
    {
        var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        var key = SigningKey.FromPem(File.ReadAllText(Path.Combine(data, "keys", "admin.key")));
        var chain = (await CareLedgerClient.GetChainInfoAsync(http)).Chain;
        return (new CareLedgerClient(http, key, chain), new TransactionFactory(key, chain), http);
    }

    [Fact]
    public async Task Every_acknowledged_transaction_survives_SIGKILL_mid_load_and_the_store_verifies()
    {
        var acknowledged = new ConcurrentBag<Hash>();
        using (var node = NodeProcess.Start(_data))
        {
            Assert.True(await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)), node.StandardError);
            var (client, factory, http) = await Connect(node.Address, _data);
            using var _ = http;
            using var stop = new CancellationTokenSource();
            var loaders = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
            {
                try
                {
                    for (var round = 0; round < 10_000 && !stop.IsCancellationRequested; round++)
                    {
                        var batch = Enumerable.Range(0, 100).Select(_ => factory.Create("notary.anchor",
                            $$"""{"hash":"{{Testing.TestChain.RandomHash()}}","documentType":"lab-report"}""")).ToList();
                        var outcome = await client.SubmitBatchAsync(batch, TimeSpan.FromSeconds(10), stop.Token);
                        foreach (var (tx, result) in batch.Zip(outcome.Results))
                        {
                            if (result.Status == "committed")
                            {
                                acknowledged.Add(tx.Id);
                            }
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or CareLedgerException)
                {
                    // The node died under us: whatever was not acknowledged may or may not be there.
                }
            })).ToList();

            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (acknowledged.Count < 1500 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
            node.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(loaders);
        }
        Assert.True(acknowledged.Count >= 1500, $"only {acknowledged.Count} acknowledged before the kill");

        using (var restarted = NodeProcess.Start(_data))
        {
            Assert.True(await restarted.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)), restarted.StandardError);
            var (client, _, http) = await Connect(restarted.Address, _data);
            using var _ = http;
            foreach (var id in acknowledged)
            {
                Assert.Equal("committed", (await client.GetTransactionAsync(id)).Status);
            }
            restarted.Kill();
        }

        var (exit, output, error) = await CliRunner.Run("verify", _data);
        Assert.True(exit == 0, output + error);
    }

    [Fact]
    public async Task A_crash_between_logging_an_access_and_releasing_the_record_releases_nothing_but_keeps_the_entry()
    {
        // The set-up needs the first node; the keys outlive it, for the check after the restart.
        CareSetup care;
        string fhirId;
        using (var node = NodeProcess.Start(_data, "--fail-point", "after-access-log"))
        {
            Assert.True(await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)), node.StandardError);
            var (client, admin, http) = await Connect(node.Address, _data);
            using var _ = http;
            care = await CareSetup.CreateAsync(client, admin.Key, admin.Chain, "member:dr-9", """["read","append"]""");
            var doctorClient = new CareLedgerClient(http, care.Clinician, admin.Chain);
            var (status, body) = await doctorClient.CreateFhirAsync("Observation", care.PatientId, "laboratory",
                """{"resourceType":"Observation","status":"final","code":{"text":"glucose"},"valueQuantity":{"value":5.4,"unit":"mmol/L"}}""");
            Assert.Equal(201, status);
            fhirId = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;

            using var read = new HttpRequestMessage(HttpMethod.Get, $"fhir/Observation/{fhirId}");
            read.Headers.Authorization = new("Bearer", AccessToken.Create(care.Clinician, admin.Chain, TimeSpan.FromMinutes(2), DateTimeOffset.UtcNow));
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.SendAsync(read));
            Assert.NotNull(await node.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
        using var owned = care;
        using var restarted = NodeProcess.Start(_data);
        Assert.True(await restarted.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)), restarted.StandardError);
        var (_, _, http2) = await Connect(restarted.Address, _data);
        using var __ = http2;
        using var log = new HttpRequestMessage(HttpMethod.Get, $"api/v1/patients/{care.PatientId}/accesses");
        log.Headers.Authorization = new("Bearer", AccessToken.Create(care.Patient, "careledger-local", TimeSpan.FromMinutes(2), DateTimeOffset.UtcNow));
        using var response = await http2.SendAsync(log);
        var entries = await response.Content.ReadFromJsonAsync<List<CareLedger.Contracts.Records.AccessEntry>>(CareLedgerClient.Json);
        var entry = Assert.Single(entries!);
        Assert.Equal(("record:" + fhirId, "member:dr-9", true), (entry.Record, entry.Accessor, entry.Permit));
    }

    [Fact]
    public async Task Importing_a_realistic_bundle_logs_nothing_identifying()
    {
        using var node = NodeProcess.Start(_data, "--Logging:LogLevel:Default", "Debug", "--Logging:LogLevel:Microsoft.AspNetCore", "Debug");
        Assert.True(await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)), node.StandardError);
        var (client, admin, http) = await Connect(node.Address, _data);
        using var _ = http;
        using var care = await CareSetup.CreateAsync(client, admin.Key, admin.Chain, "member:dr-8", """["append","read"]""");
        var (doctor, patientId) = (care.Clinician, care.PatientId);
        var keyFile = Path.Combine(_data, "doctor.key");
        await File.WriteAllTextAsync(keyFile, doctor.ExportPem());
        var (exit, output, error) = await CliRunner.Run("import", "fhir", Path.Combine(AppContext.BaseDirectory, "Data", "synthetic-bundle.json"),
            "--patient", patientId, "--node", node.Address.ToString(), "--key", keyFile);
        Assert.True(exit == 0, output + error);
        node.Kill();

        var logs = node.Logs;
        Assert.Contains("Request", logs);   // debug logging was on: the requests themselves were logged
        foreach (var secret in new[] { "Okonkwo", "Marisol", "1961-07-19", "Juniper Hollow", "Bramblewick", "999-44-1234", "555-0142", "Quillfeather", "metformin" })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_node_whose_address_is_taken_says_so_and_exits_2_instead_of_crashing()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        using var node = NodeProcess.StartAt(_data, new Uri($"http://127.0.0.1:{port}/"));
        Assert.Equal(2, await node.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("cannot start", node.StandardError);
        Assert.Contains("address already in use", node.StandardError);
        Assert.Contains("--urls", node.StandardError);
    }

    [Fact]
    public async Task A_node_refuses_to_start_on_a_store_whose_head_was_tampered_with()
    {
        await AnchorThenKillAsync(anchors: 1);
        ExecuteOnStore("UPDATE state SET value = CAST('{}' AS BLOB) WHERE key LIKE 'notary/%'; UPDATE transactions SET result = substr(result, 1, length(result) - 1) || x'00' WHERE log_index = (SELECT max(log_index) FROM transactions)");
        using var refused = NodeProcess.Start(_data);
        Assert.Equal(2, await refused.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("refusing to start", refused.StandardError);
        Assert.Contains("Block 1 does not verify", refused.StandardError);

        var (exit, _, reason) = await CliRunner.Run("verify", _data);
        Assert.Equal(1, exit);
        Assert.Contains("height 1", reason);

        // A store of another schema version is named as such, by the node and by the audit.
        ExecuteOnStore("PRAGMA user_version = 2");
        using var old = NodeProcess.Start(_data);
        Assert.Equal(2, await old.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("schema version 2", old.StandardError);
        var (oldExit, _, oldReason) = await CliRunner.Run("verify", _data);
        Assert.Equal(2, oldExit);
        Assert.Contains("schema version 2", oldReason);
        var export = await CliRunner.Run("export", "--data", _data, "--out", Path.Combine(_data, "old.export"));
        Assert.Equal(2, export.Exit);
        Assert.Contains("schema version 2", export.Err);
        Assert.False(File.Exists(Path.Combine(_data, "old.export")));
    }

    [Fact]
    public async Task A_watcher_holding_a_later_head_finds_the_last_block_deleted_cleanly()
    {
        var state = Path.Combine(_data, "watch.json");
        var genesis = Path.Combine(_data, "genesis.cbor");
        string Anchor() => $$"""{"hash":"{{Testing.TestChain.RandomHash()}}","documentType":"x"}""";
        // The watcher is also a witness the node is configured with: it cosigns what it accepted.
        var witnessKey = Path.Combine(Path.GetTempPath(), "witness-" + Guid.NewGuid().ToString("N") + ".key");
        var made = await CliRunner.Run("head", "witness-key", "--name", "witness.partner.example/ledger", "--out", witnessKey);
        Assert.True(made.Exit == 0, made.Err);
        var verifierKey = JsonDocument.Parse(made.Out).RootElement.GetProperty("verifierKey").GetString()!;
        var witnesses = witnessKey + ".witnesses";
        await File.WriteAllTextAsync(witnesses, verifierKey + "\n");
        using (var node = NodeProcess.Start(_data, "--witnesses", witnesses))
        {
            Assert.True(await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)), node.StandardError);
            var (client, factory, http) = await Connect(node.Address, _data);
            using var _ = http;
            var anchored = factory.Create("notary.anchor", Anchor());
            await client.SubmitAsync(anchored, TimeSpan.FromSeconds(10));
            var first = await CliRunner.Run("head", "watch", "--node", node.Address.ToString(), "--state", state, "--genesis", genesis, "--cosign-key", witnessKey);
            Assert.True(first.Exit == 0, first.Err);
            Assert.Contains("\"first\"", first.Out);
            Assert.Contains("\"kept\"", first.Out);
            var receipt = Path.Combine(_data, "witnessed-receipt.json");
            var got = await CliRunner.Run("receipt", "get", anchored.Id.ToString(), "--witnessed", "--node", node.Address.ToString(), "--key", Path.Combine(_data, "keys", "admin.key"));
            Assert.True(got.Exit == 0, got.Err);
            await File.WriteAllTextAsync(receipt, got.Out);
            var verified = await CliRunner.Run("receipt", "verify", "--receipt", receipt, "--genesis", genesis, "--witness", verifierKey);
            Assert.True(verified.Exit == 0, verified.Err);
            await client.SubmitAsync(factory.Create("notary.anchor", Anchor()), TimeSpan.FromSeconds(10));
            var second = await CliRunner.Run("head", "watch", "--node", node.Address.ToString(), "--state", state, "--genesis", genesis);
            Assert.True(second.Exit == 0, second.Err);
            Assert.Contains("\"consistent\"", second.Out);
            node.Kill();
        }
        // Everything of the last block goes, its state writes with it: the directory alone shows nothing wrong.
        ExecuteOnStore("""
            DELETE FROM merkle_nodes WHERE (idx + 1) * (1 << level) > (SELECT first_log_index FROM blocks ORDER BY height DESC LIMIT 1);
            DELETE FROM transactions WHERE height = (SELECT max(height) FROM blocks);
            DELETE FROM state WHERE height = (SELECT max(height) FROM blocks);
            DELETE FROM blocks WHERE height = (SELECT max(height) FROM blocks);
            """);
        Assert.Equal(0, (await CliRunner.Run("verify", _data)).Exit);
        using var restarted = NodeProcess.Start(_data);
        Assert.True(await restarted.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)), restarted.StandardError);
        var (exit, output, reason) = await CliRunner.Run("head", "watch", "--node", restarted.Address.ToString(), "--state", state, "--genesis", genesis);
        Assert.Equal(1, exit);
        Assert.Contains("rollback", reason);
        Assert.Contains("\"seen\"", output);
    }

    [Fact]
    public async Task A_node_started_with_the_full_audit_refuses_an_edit_the_standard_check_does_not_reach()
    {
        await AnchorThenKillAsync(anchors: 4);
        // The height that last wrote a state row: part of the audit's state, not of the state set the node checks (only
        // audits read it). (An inner Merkle node, once beyond the standard check, now stops it: StoreTamperTests.)
        ExecuteOnStore("UPDATE state SET height = height + 1 WHERE key = (SELECT min(key) FROM state WHERE key LIKE 'notary/%')");
        using (var standard = NodeProcess.Start(_data))
        {
            Assert.True(await standard.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)), standard.StandardError);
        }
        using var full = NodeProcess.Start(_data, "--verify-on-start", "full");
        Assert.Equal(2, await full.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("full audit at start-up fails", full.StandardError);
        Assert.Contains("table state", full.StandardError);
        var (exit, output, _) = await CliRunner.Run("verify", _data);
        Assert.Equal(1, exit);
        Assert.Contains("\"table\": \"state\"", output);
    }

    // Runs a node on the data directory, commits one anchoring per block, and kills it.
    private async Task AnchorThenKillAsync(int anchors)
    {
        using var node = NodeProcess.Start(_data);
        Assert.True(await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)), node.StandardError);
        var (client, factory, http) = await Connect(node.Address, _data);
        using var _ = http;
        for (var i = 0; i < anchors; i++)
        {
            await client.SubmitAsync(factory.Create("notary.anchor", $$"""{"hash":"{{Testing.TestChain.RandomHash()}}","documentType":"x"}"""), TimeSpan.FromSeconds(10));
        }
        node.Kill();
    }

    // Changes the stopped node's store behind its back.
    private void ExecuteOnStore(string sql)
    {
        using var c = new SqliteConnection($"Data Source={Path.Combine(_data, "ledger.db")};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    [Fact]
    public async Task The_CLI_submits_fetches_and_verifies_receipts_exports_and_audits()
    {
        using var node = NodeProcess.Start(_data);
        Assert.True(await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)), node.StandardError);
        var key = Path.Combine(_data, "keys", "admin.key");
        var common = new[] { "--node", node.Address.ToString(), "--key", key };
        var hash = Testing.TestChain.RandomHash();
        var submit = await CliRunner.Run(["tx", "submit", "--type", "notary.anchor", "--args", $$"""{"hash":"{{hash}}","documentType":"consent-form"}""", .. common]);
        Assert.True(submit.Exit == 0, submit.Err);
        var id = System.Text.Json.JsonDocument.Parse(submit.Out).RootElement.GetProperty("id").GetString()!;

        var receiptFile = Path.Combine(_data, "receipt.json");
        var headFile = Path.Combine(_data, "head.json");
        File.WriteAllText(receiptFile, (await CliRunner.Run(["receipt", "get", id, .. common])).Out);
        File.WriteAllText(headFile, (await CliRunner.Run(["block", "head", .. common])).Out);
        var genesis = Path.Combine(_data, "genesis.cbor");
        Assert.Equal(0, (await CliRunner.Run("receipt", "verify", "--receipt", receiptFile, "--head", headFile, "--genesis", genesis)).Exit);

        var forged = File.ReadAllText(receiptFile).Replace("\"logIndex\": 0", "\"logIndex\": 1", StringComparison.Ordinal);
        File.WriteAllText(receiptFile, forged);
        Assert.Equal(1, (await CliRunner.Run("receipt", "verify", "--receipt", receiptFile, "--genesis", genesis)).Exit);
        File.WriteAllText(receiptFile, "{ not json");
        Assert.Equal(2, (await CliRunner.Run("receipt", "verify", "--receipt", receiptFile, "--genesis", genesis)).Exit);

        Assert.Equal(0, (await CliRunner.Run(["tx", "get", id, .. common])).Exit);
        Assert.Equal(0, (await CliRunner.Run(["block", "get", "1", .. common])).Exit);
        Assert.Equal(2, (await CliRunner.Run(["block", "get", "not-a-block", .. common])).Exit);

        var export = Path.Combine(_data, "chain.export");
        Assert.Equal(0, (await CliRunner.Run("export", "--data", _data, "--out", export)).Exit);
        var audit = await CliRunner.Run("verify", export);
        Assert.True(audit.Exit == 0, audit.Err);
        Assert.Equal(1, System.Text.Json.JsonDocument.Parse(audit.Out).RootElement.GetProperty("transactions").GetInt64());
        Assert.Equal(2, (await CliRunner.Run("verify", Path.Combine(_data, "no-such-file"))).Exit);

        var keyFile = Path.Combine(_data, "new.key");
        Assert.Equal(0, (await CliRunner.Run("keys", "new", "--out", keyFile)).Exit);
        Assert.Equal(1, (await CliRunner.Run("keys", "new", "--out", keyFile)).Exit);
        Assert.Contains("PRIVATE KEY", File.ReadAllText(keyFile));
        _ = GenesisDocument.Parse(File.ReadAllBytes(genesis));
    }
}
