using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CareLedger.Client;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Testing;
using Microsoft.Data.Sqlite;

using static CareLedger.Node.Tests.ConsortiumLoad;

namespace CareLedger.Node.Tests;

/// <summary>Three (and four) nodes as separate processes on 127.0.0.1, replicating one ledger with Raft.</summary>
[Collection("process")]
public sealed class ConsortiumTests
{
    [Fact]
    public async Task SIGKILL_of_the_leader_under_load_loses_no_acknowledged_transaction_and_the_restarted_node_catches_up()
    {
        using var net = new Consortium(3);
        await net.StartAllAsync();
        var leader = await net.LeaderAsync();
        var followers = net.Members.Select(m => m.Name).Where(n => n != leader).ToList();

        var acknowledged = new ConcurrentBag<Hash>();
        using var stop = new CancellationTokenSource();
        var loaders = Load(net, followers, acknowledged, stop.Token);

        await UnderLoadAsync(acknowledged);
        var clock = Stopwatch.StartNew();
        net.Kill(leader);

        // Failover: the first commit after the kill, submitted to a surviving node.
        var failover = await FirstCommitAsync(net, followers[0], clock, TimeSpan.FromSeconds(15));
        Assert.True(failover < TimeSpan.FromSeconds(10), $"failover took {failover}");

        await Task.Delay(1500);
        stop.Cancel();
        await Task.WhenAll(loaders);

        await net.StartAsync(leader);
        await AssertConvergedAsync(net, (await net.StatusAsync(followers[0])).Height, acknowledged);
    }

    [Fact]
    public async Task A_leader_whose_peers_hang_is_replaced_and_when_it_returns_every_node_agrees_and_none_is_marked_faulty()
    {
        using var net = new Consortium(3);
        await net.StartAllAsync();
        var leader = await net.LeaderAsync();
        var followers = net.Members.Select(m => m.Name).Where(n => n != leader).ToList();
        var acknowledged = new ConcurrentBag<Hash>();
        using var stop = new CancellationTokenSource();
        // Load on the leader too, so that it holds batches of its own in flight when it is cut off.
        var loaders = Load(net, net.Members.Select(m => m.Name), acknowledged, stop.Token);
        await UnderLoadAsync(acknowledged);

        // The leader's link is cut: its peers' requests hang (nothing is refused). The other two must elect a leader and commit.
        var clock = Stopwatch.StartNew();
        net.Nodes[leader].Pause();
        var failover = await FirstCommitAsync(net, followers[0], clock, TimeSpan.FromSeconds(15));
        Assert.True(failover < TimeSpan.FromSeconds(10), $"failover took {failover}");
        await Task.Delay(TimeSpan.FromSeconds(3));

        // The link heals: the old leader's uncommitted batches are overwritten, and it applies only what was committed.
        net.Nodes[leader].Resume();
        await Task.Delay(1500);
        stop.Cancel();
        await Task.WhenAll(loaders);
        await AssertConvergedAsync(net, (await net.StatusAsync(followers[0])).Height, acknowledged);
    }

    [Fact]
    public async Task Without_a_majority_nothing_commits_and_clients_get_a_clear_error_then_the_network_resumes()
    {
        using var net = new Consortium(3);
        await net.StartAllAsync();
        var (client, factory, http) = await net.ClientAsync("node1");
        using var _ = http;
        Assert.Equal("committed", (await client.SubmitAsync(Anchor(factory), TimeSpan.FromSeconds(10))).Status);
        var height = (await net.StatusAsync("node1")).Height;

        net.Kill("node2");
        net.Kill("node3");
        var refusal = await RefusalAsync(http, Anchor(factory), TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refusal.Status);
        Assert.Equal("consensus.no_quorum", refusal.Code);
        Assert.Equal(height, (await net.StatusAsync("node1")).Height);

        await net.StartAsync("node2");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string? status = null;
        while (status != "committed" && DateTime.UtcNow < deadline)
        {
            try
            {
                status = (await client.SubmitAsync(Anchor(factory), TimeSpan.FromSeconds(3))).Status;
            }
            catch (Exception ex) when (ex is HttpRequestException or CareLedgerException)
            {
                await Task.Delay(200);
            }
        }
        Assert.Equal("committed", status);
    }

    [Fact]
    public async Task A_node_that_executes_differently_is_found_out_stops_and_rebuilds_itself_from_the_raft_log_with_no_file_edited()
    {
        using var net = new Consortium(3);
        await Task.WhenAll(net.StartAsync("node1"), net.StartAsync("node2"), net.StartAsync("node3", "--fail-point", "execute-differently"));
        await net.WaitForLeaderEverywhereAsync();
        var liar = net.Members.Single(m => m.Name == "node3").NodeKey;
        var (client, factory, http) = await net.ClientAsync("node1");
        using var _ = http;
        Assert.Equal("committed", (await client.SubmitAsync(Anchor(factory), TimeSpan.FromSeconds(10))).Status);

        // node3 finds the majority certified another header: it writes the evidence and stops for its supervisor to restart it.
        var exit = await net.Nodes["node3"].WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exit == 75, $"exit {exit}: {net.Nodes["node3"].Logs}");
        Assert.Contains("DIVERGED", net.Nodes["node3"].Logs, StringComparison.Ordinal);
        var marker = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(net.DataOf("node3"), "diverged.json"))).RootElement;
        Assert.True(marker.GetProperty("majoritySigners").GetArrayLength() >= 2);
        var honest = await net.WaitForAsync("node1", s => s.FaultyValidators.Any(f => f.Validator == liar), TimeSpan.FromSeconds(20));
        Assert.All(honest.FaultyValidators, f => Assert.Equal(liar, f.Validator));
        Assert.Equal("committed", (await client.SubmitAsync(Anchor(factory), TimeSpan.FromSeconds(20))).Status);

        // Restarted with the same build, it rebuilds from its Raft log, diverges at the same block again and this time stays
        // aside (no restart loop): it refuses submissions and never leads.
        var again = net.Launch("node3", "--fail-point", "execute-differently");
        Assert.True(await again.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)), again.Logs);
        var aside = await net.WaitForAsync("node3", s => s.Divergence is not null, TimeSpan.FromSeconds(30));
        Assert.Equal(marker.GetProperty("height").GetInt64(), aside.Divergence!.Height);
        Assert.Single(Directory.GetDirectories(Path.Combine(net.DataOf("node3"), "evidence")));
        using var toLiar = new HttpClient { BaseAddress = net.ApiOf("node3") };
        Assert.Equal("consensus.diverged", (await RefusalAsync(toLiar, Anchor(factory), TimeSpan.FromSeconds(5))).Code);
        Assert.True(again.IsRunning);
        Assert.False((await net.StatusAsync("node3")).IsLeader);

        // With a fixed build it stops once more for a rebuild, then re-executes the log and agrees with the majority.
        net.Kill("node3");
        var fixedBuild = net.Launch("node3");
        exit = await fixedBuild.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exit == 75, $"exit {exit}: {fixedBuild.Logs}");
        await net.StartAsync("node3");
        var target = (await net.StatusAsync("node1")).Height;
        var rebuilt = await net.WaitForAsync("node3", s => s.Height >= target || s.Divergence is not null, TimeSpan.FromSeconds(60));
        Assert.Null(rebuilt.Divergence);
        Assert.Equal(Head(net.DataOf("node1"), target), Head(net.DataOf("node3"), target));
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(net.DataOf("node3"), "evidence")).Length);
    }

    [Fact]
    public async Task A_node_whose_store_was_tampered_with_refuses_to_start_and_the_others_go_on()
    {
        using var net = new Consortium(3);
        await net.StartAllAsync();
        var (client, factory, http) = await net.ClientAsync("node1");
        using var _ = http;
        var hash = TestChain.RandomHash();
        Assert.Equal("committed", (await client.SubmitAsync(Anchor(factory, hash), TimeSpan.FromSeconds(10))).Status);
        await net.WaitForAsync("node3", s => s.CertifiedHeight >= 1, TimeSpan.FromSeconds(20));

        net.Kill("node3");
        await net.WaitForLeaderEverywhereAsync();
        using (var db = new SqliteConnection($"Data Source={Path.Combine(net.DataOf("node3"), "ledger.db")};Pooling=False"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = "UPDATE state SET value = CAST('{}' AS BLOB) WHERE key = $k";
            cmd.Parameters.AddWithValue("$k", "notary/" + hash);
            Assert.Equal(1, cmd.ExecuteNonQuery());
        }
        // Before, node3 started, served the edited row and diverged on the next block that read it (a validator that executes
        // differently is still found that way: the fail-point test above). Now the start-up check finds the row first.
        using var refused = NodeProcess.StartAt(net.DataOf("node3"), net.ApiOf("node3"), "--consensus", "raft");
        Assert.Equal(2, await refused.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("state set of the head block", refused.StandardError);

        Assert.Equal("committed", (await client.SubmitAsync(Anchor(factory), TimeSpan.FromSeconds(10))).Status);
    }

    [Fact]
    public async Task A_fourth_node_joins_through_governance_alone_over_TLS_catches_up_from_zero_and_signs_certified_headers()
    {
        // Mutual TLS: node4's certificate is for its node key, and nothing but the governance approval makes the others accept it.
        using var net = new Consortium(3, tls: true);
        await net.StartAllAsync();
        var (client1, factory1, http1) = await net.ClientAsync("node1");
        var (client2, factory2, http2) = await net.ClientAsync("node2", keyOf: "node2");
        using var _ = http1;
        using var __ = http2;
        await client1.SubmitBatchAsync(Enumerable.Range(0, 20).Select(_ => Anchor(factory1)).ToList(), TimeSpan.FromSeconds(10));

        var joiner = net.PrepareJoiner("node4", "org:member-1");
        await net.StartAsync("node4");
        var member = net.Members.Single(m => m.Name == "node4");
        var proposal = await client1.SubmitAsync(factory1.Create("network.propose_node", joiner.ProposalArgs), TimeSpan.FromSeconds(10));
        Assert.Equal("committed", proposal.Status);
        var approval = await client2.SubmitAsync(factory2.Create("network.approve", $$"""{"proposal":"{{proposal.Id}}"}"""), TimeSpan.FromSeconds(10));
        Assert.Equal("committed", approval.Status);

        var height = (await net.StatusAsync("node1")).Height;
        await net.WaitForAsync("node4", s => s.Height >= height && s.Members.Count == 4 && s.Leader is not null, TimeSpan.FromSeconds(30));
        await net.WaitForAsync("node1", s => s.Members.Count == 4 && s.Majority == 3, TimeSpan.FromSeconds(30));

        var status4 = await net.StatusAsync("node4");
        Assert.Equal(("mutual-tls", "validator-key"), (status4.Transport, status4.PeerAuthentication));
        Assert.Contains(status4.Peers!, p => p.Name == "node4" && p.NodeKey == joiner.NodeKey.ToString() && p.Raft == member.Raft);
        Assert.Contains(status4.Peers!, p => p.Name == "node1" && p.Organisation == "org:member-1");
        var (client4, factory4, http4) = await net.ClientAsync("node4");
        using var ___ = http4;
        var tx = Anchor(factory4);
        Assert.Equal("committed", (await client4.SubmitAsync(tx, TimeSpan.FromSeconds(10))).Status);

        // The certified receipt's header carries node4's signature among a majority of the four validators.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        SignedBlockHeader? header = null;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var doc = await client1.GetReceiptAsync(tx.Id, certified: true);
                header = BlockHeaderCodec.ParseSigned(Convert.FromBase64String(doc.SignedHeader));
                var validators = header.Signatures.Select(s => s.Signer).ToList();
                if (validators.Contains(joiner.NodeKey))
                {
                    break;
                }
            }
            catch (CareLedgerException ex)
            {
                last = ex.Message;
            }
            await Task.Delay(200);
        }
        Assert.True(header is not null, last);
        Assert.Contains(header.Signatures, s => s.Signer == joiner.NodeKey);
        Assert.True(header.Signatures.Count >= 3);

        // Governance removes it again: the leader takes it out of the Raft configuration; the majority is 2 of 3 again.
        var removal = await client1.SubmitAsync(factory1.Create("network.propose_removal", $$"""{"node":"{{joiner.NodeKey}}"}"""), TimeSpan.FromSeconds(10));
        Assert.Equal("committed", removal.Status);
        Assert.Equal("committed", (await client2.SubmitAsync(factory2.Create("network.approve", $$"""{"proposal":"{{removal.Id}}"}"""), TimeSpan.FromSeconds(10))).Status);
        await net.WaitForAsync("node1", s => s.Members.Count == 3 && s.Majority == 2, TimeSpan.FromSeconds(30));
        Assert.Equal("committed", (await client1.SubmitAsync(Anchor(factory1), TimeSpan.FromSeconds(10))).Status);
    }

    [Fact]
    public async Task A_record_held_by_another_organisation_is_read_through_its_custodians_gatekeeper_and_the_read_is_on_every_node()
    {
        using var net = new Consortium(3);
        await net.StartAllAsync();
        var (client1, factory1, http1) = await net.ClientAsync("node1");
        var (client2, factory2, http2) = await net.ClientAsync("node2", keyOf: "node2");
        using var _ = http1;
        using var __ = http2;
        var chain = factory1.Chain;
        // Dr A works for org:member-1 (custodian, node1); Dr B for org:member-2 (node2). The patient consents to both.
        using var care = await CareSetup.CreateAsync(client1, factory1.Key, chain, "member:dr-a", """["append","read"]""");
        using var doctorB = SigningKey.Generate();
        await CareSetup.CommitAsync(client2, factory2.Key, chain, "identity.enrol_member",
            $$"""{"member":"member:dr-b","roles":["clinician"],"publicKey":"{{Convert.ToBase64String(doctorB.PublicKey.SubjectPublicKeyInfo)}}"}""");
        await CareSetup.CommitAsync(client2, care.Patient, chain, "consent.grant",
            $$"""{"patient":"{{care.PatientId}}","grantee":{"kind":"member","id":"member:dr-b"},"actions":["read"],"purposes":["TREAT"],"expires":{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds()}}}""");

        var (status, body) = await new CareLedgerClient(http1, care.Clinician, chain).CreateFhirAsync("Observation", care.PatientId, "laboratory",
            """{"resourceType":"Observation","status":"final","code":{"text":"HbA1c"},"valueQuantity":{"value":6.1,"unit":"%"}}""");
        Assert.Equal(201, status);
        var fhirId = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetString();

        // Dr B asks his own organisation's node, which holds no copy; the custodian's node decides and releases.
        var read = await SendAsync(http2, doctorB, chain, $"fhir/Observation/{fhirId}?purpose=TREAT");
        Assert.True(read.Status == HttpStatusCode.OK, read.Body);
        Assert.Contains("HbA1c", read.Body, StringComparison.Ordinal);
        var refused = await SendAsync(http2, doctorB, chain, $"fhir/Observation/{fhirId}?purpose=HRESCH");
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);

        // The access log is ledger state: any node answers, and a linearizable read sees both attempts at once.
        using var http3 = new HttpClient { BaseAddress = net.ApiOf("node3") };
        var log = await SendAsync(http3, care.Patient, chain, $"api/v1/patients/{care.PatientId}/accesses?consistency=linearizable");
        Assert.Equal(HttpStatusCode.OK, log.Status);
        var entries = System.Text.Json.JsonSerializer.Deserialize<List<CareLedger.Contracts.Records.AccessEntry>>(log.Body, CareLedgerClient.Json)!;
        Assert.Contains(entries, e => e.Accessor == "member:dr-b" && e.Permit);
        Assert.Contains(entries, e => e.Accessor == "member:dr-b" && !e.Permit);
    }

    [Fact]
    public async Task With_TLS_nodes_commit_and_a_node_presenting_a_key_that_is_no_validator_is_shut_out()
    {
        using var net = new Consortium(3, tls: true);
        // node3 runs with a key the ledger never approved (its own network file names it, so it starts): the certificate it
        // presents is for that key.
        using (var stranger = SigningKey.Generate())
        {
            var node3 = net.DataOf("node3");
            var oldKey = net.Members.Single(m => m.Name == "node3").NodeKey;
            File.WriteAllText(Path.Combine(node3, "keys", "node.key"), stranger.ExportPem());
            var networkFile = Path.Combine(node3, "network.json");
            File.WriteAllText(networkFile, File.ReadAllText(networkFile).Replace(oldKey, stranger.Id.ToString(), StringComparison.Ordinal));
        }
        await Task.WhenAll(net.StartAsync("node1"), net.StartAsync("node3"));
        var (client, factory, http) = await net.ClientAsync("node1");
        using var _ = http;
        // node1 and node3 would be a majority, but node1 refuses node3's key: no leader, nothing commits.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var refusal = await RefusalAsync(http, Anchor(factory), TimeSpan.FromSeconds(5));
        Assert.Equal("consensus.no_quorum", refusal.Code);
        var status1 = await net.StatusAsync("node1");
        Assert.Equal(("mutual-tls", "validator-key"), (status1.Transport, status1.PeerAuthentication));
        Assert.True(status1.RefusedPeerHandshakes > 0);

        await net.StartAsync("node2");
        await net.WaitForAsync("node1", s => s.Leader is not null, TimeSpan.FromSeconds(30));
        Assert.Equal("committed", (await client.SubmitAsync(Anchor(factory), TimeSpan.FromSeconds(10))).Status);
        Assert.Equal(0, (await net.StatusAsync("node3")).Height);
    }

    [Fact]
    public async Task A_variant_count_asked_of_one_node_adds_up_every_custodians_answer_from_its_own_vault()
    {
        using var net = new Consortium(3);
        await net.StartAllAsync();
        var (_, factory1, http1) = await net.ClientAsync("node1");
        using var _ = http1;
        var chain = factory1.Chain;
        // Carriers share their exomes with the organisation of the node they use: 5 at node1, 6 at node2, 2 at node3 (below k there).
        foreach (var (name, carriers) in new[] { ("node1", 5), ("node2", 6), ("node3", 2) })
        {
            using var http = new HttpClient { BaseAddress = net.ApiOf(name), Timeout = TimeSpan.FromSeconds(30) };
            for (var i = 0; i < carriers; i++)
            {
                using var owner = SigningKey.Generate();
                var client = new CareLedgerClient(http, owner, chain);
                await CareSetup.CommitAsync(client, owner, chain, "identity.register_patient",
                    $$"""{"publicKey":"{{Convert.ToBase64String(owner.PublicKey.SubjectPublicKeyInfo)}}"}""");
                using var upload = new HttpRequestMessage(HttpMethod.Post, "api/v1/genomics/datasets?assay=wes&referenceBuild=grch38&coverage=100")
                {
                    Content = new StringContent("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n17\t43045712\t.\tG\tA\t50\tPASS\t.\n",
                        System.Text.Encoding.UTF8, "text/vcf"),
                };
                upload.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AccessToken.Create(owner, chain, TimeSpan.FromMinutes(2), DateTimeOffset.UtcNow));
                using var uploaded = await http.SendAsync(upload);
                var body = await uploaded.Content.ReadAsStringAsync();
                Assert.True(uploaded.StatusCode == HttpStatusCode.Created, body);
                var dataset = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetString();
                await CareSetup.CommitAsync(client, owner, chain, "gen.list",
                    $$"""{"dataset":"{{dataset}}","price":0,"currency":"USD","purposes":["disease_research"],"durationDays":30,"commercial":false,"autoApprove":false,"beacon":true}""");
            }
        }

        var (status, answer) = await SendAsync(http1, factory1.Key, chain, "api/v1/genomics/beacon?variant=17:43045712:G:A&scope=network");
        Assert.True(status == HttpStatusCode.OK, answer);
        var root = System.Text.Json.JsonDocument.Parse(answer).RootElement;
        // Each node releases its count under its own sticky noise; the network answer adds up what was released.
        var released = new[] { ("node1", 5), ("node2", 6), ("node3", 2) }.Select(n => ReleasedCount.Of(net.DataOf(n.Item1), "beacon|17:43045712:G:A", n.Item2)).ToList();
        Assert.Equal((released.Sum() ?? 0, released.Count(r => r is null)), (root.GetProperty("count").GetInt64(), root.GetProperty("suppressed").GetInt32()));
        Assert.Equal(0, root.GetProperty("unreachable").GetArrayLength());
        var counts = root.GetProperty("answers").EnumerateArray()
            .ToDictionary(a => a.GetProperty("custodian").GetString()!, a => a.GetProperty("count").ValueKind == System.Text.Json.JsonValueKind.Null ? -1 : a.GetProperty("count").GetInt32());
        Assert.Equal(3, counts.Count);
        Assert.Equal(released.Select(r => (int)(r ?? -1)).Order(), counts.Values.Order());
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient http, SigningKey caller, string chain, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            AccessToken.Create(caller, chain, TimeSpan.FromMinutes(2), DateTimeOffset.UtcNow));
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<(HttpStatusCode Status, string? Code)> RefusalAsync(HttpClient http, Transaction tx, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            using var response = await http.PostAsJsonAsync("api/v1/transactions?wait=1000",
                new { transaction = Convert.ToBase64String(tx.Encoded.Span) });
            if ((int)response.StatusCode >= 500 || DateTime.UtcNow > deadline)
            {
                var problem = await response.Content.ReadFromJsonAsync<Dictionary<string, object>>();
                return (response.StatusCode, problem?.GetValueOrDefault("code")?.ToString());
            }
            await Task.Delay(300);
        }
    }
}
