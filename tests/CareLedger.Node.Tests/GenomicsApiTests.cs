using System.Net;
using System.Text;
using System.Text.Json;
using CareLedger.Contracts.Genomics;
using CareLedger.Core.Crypto;

namespace CareLedger.Node.Tests;

[Collection("network")]
public sealed class GenomicsApiTests : NodeTest
{
    private const string Header = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tSAMPLE\n";

    private static string Vcf(string genotype, string extra = "") =>
        Header + $"chr17\t43045712\t.\tG\tA\t50\tPASS\t.\tGT\t{genotype}\n" + extra;

    private static StringContent Content(string vcf) => new(vcf, Encoding.UTF8, "text/vcf");

    [Fact]
    public async Task A_dataset_is_read_only_under_a_paid_unrevoked_grant_and_every_attempt_is_on_the_ledger()
    {
        using var network = await ResearchNetwork.CreateAsync(Node);
        using var owner = SigningKey.Generate();
        await network.CommitAsync(owner, "identity.register_patient", $$"""{"publicKey":"{{ResearchNetwork.Spki(owner)}}"}""");
        var ownerId = ResearchNetwork.PatientId(owner);
        var vcf = Vcf("0/1");

        Assert.Equal(HttpStatusCode.BadRequest, (await network.SendAsync(owner, HttpMethod.Post, "api/v1/genomics/datasets", Content(vcf))).Status);
        var uploaded = await network.SendAsync(owner, HttpMethod.Post, "api/v1/genomics/datasets?assay=wgs&referenceBuild=grch38&coverage=30", Content(vcf));
        Assert.Equal(HttpStatusCode.Created, uploaded.Status);
        var dataset = ResearchNetwork.Parse(uploaded.Body).GetProperty("id").GetString()!;
        Assert.Equal(ownerId, ResearchNetwork.Parse(uploaded.Body).GetProperty("owner").GetString());
        Assert.DoesNotContain("43045712", string.Concat(Node.Ledger.Store.ScanState("gen/", 1000).Select(r => Encoding.UTF8.GetString(r.Value))), StringComparison.Ordinal);

        await network.CommitAsync(owner, "gen.list",
            $$"""{"dataset":"{{dataset}}","price":50000,"currency":"USD","purposes":["disease_research"],"durationDays":90,"commercial":false,"autoApprove":false,"beacon":true}""");
        // The hole: the public listing named the owner's pseudonym. Researchers see what the data is and its terms, not whose it is.
        var listings = await network.SendAsync(network.ManagerKey, HttpMethod.Get, "api/v1/genomics/datasets");
        Assert.Contains(dataset, listings.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(ownerId, listings.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(ownerId, (await network.SendAsync(network.ManagerKey, HttpMethod.Get, $"api/v1/genomics/datasets/{dataset}")).Body, StringComparison.Ordinal);
        Assert.Contains(ownerId, (await network.SendAsync(owner, HttpMethod.Get, $"api/v1/genomics/datasets/{dataset}")).Body, StringComparison.Ordinal);
        await network.CommitAsync(network.ManagerKey, "gen.request", $$"""{"request":"greq:brca-1","dataset":"{{dataset}}","purpose":"disease_research","commercial":false}""");

        // Pending: no grant, nothing to download.
        Assert.Equal(HttpStatusCode.NotFound, (await network.SendAsync(network.ManagerKey, HttpMethod.Get, "api/v1/genomics/grants/greq:brca-1/download")).Status);
        await network.CommitAsync(network.SponsorKey, "ins.fund", """{"amount":60000,"currency":"USD"}""");
        await network.CommitAsync(owner, "gen.decide", """{"request":"greq:brca-1","approve":true}""");

        var download = await network.SendAsync(network.ManagerKey, HttpMethod.Get, "api/v1/genomics/grants/greq:brca-1/download");
        Assert.Equal(HttpStatusCode.OK, download.Status);
        // The hole: the file crossed the wire in plaintext. It is sealed to the grantee's ledger key; only that key opens it.
        Assert.DoesNotContain("43045712", download.Body, StringComparison.Ordinal);
        var sealedFile = JsonSerializer.Deserialize<Client.SealedFile>(download.Body, Client.CareLedgerClient.Json)!;
        Assert.Equal((network.ManagerKey.Id.ToString(), "greq:brca-1"), (sealedFile.RecipientKey, sealedFile.Grant));
        Assert.Equal(vcf, Encoding.UTF8.GetString(sealedFile.Open(network.ManagerKey)));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => sealedFile.Open(owner));
        var stranger = await network.SendAsync(network.InvestigatorKey, HttpMethod.Get, "api/v1/genomics/grants/greq:brca-1/download");
        Assert.Equal((HttpStatusCode.Forbidden, GenomicsErrors.NotGrantee), (stranger.Status, ResearchNetwork.Parse(stranger.Body).GetProperty("code").GetString()));

        await network.CommitAsync(owner, "gen.revoke", """{"grant":"greq:brca-1"}""");
        var revoked = await network.SendAsync(network.ManagerKey, HttpMethod.Get, "api/v1/genomics/grants/greq:brca-1/download");
        Assert.Equal((HttpStatusCode.Forbidden, GenomicsErrors.GrantRevoked), (revoked.Status, ResearchNetwork.Parse(revoked.Body).GetProperty("code").GetString()));

        var log = await network.SendAsync(owner, HttpMethod.Get, $"api/v1/genomics/datasets/{dataset}/accesses");
        var entries = JsonSerializer.Deserialize<List<GenomicAccess>>(log.Body, Client.CareLedgerClient.Json)!;
        Assert.Equal([(ResearchNetwork.Manager, true), (ResearchNetwork.Investigator, false), (ResearchNetwork.Manager, false)], entries.Select(e => (e.Accessor, e.Permit)));
        Assert.Equal(HttpStatusCode.Forbidden, (await network.SendAsync(network.ManagerKey, HttpMethod.Get, $"api/v1/genomics/datasets/{dataset}/accesses")).Status);

        var mine = await network.SendAsync(owner, HttpMethod.Get, $"api/v1/patients/{ownerId}/genomics");
        Assert.Equal(50000, ResearchNetwork.Parse(mine.Body)[0].GetProperty("earned").GetInt64());
    }

    [Fact]
    public async Task Variant_counts_come_from_consenting_datasets_only_and_are_suppressed_below_k()
    {
        using var network = await ResearchNetwork.CreateAsync(Node);
        var rare = "chr2\t47403406\t.\tC\tT\t50\tPASS\t.\tGT\t0/1\n";
        var genotypes = new[] { ("0/1", rare, true), ("1/1", rare, true), ("0|1", "", true), ("0/1", "", true), ("1/0", "", true), ("0/0", "", true), ("0/1", "", false) };
        foreach (var (genotype, extra, beacon) in genotypes)
        {
            using var owner = SigningKey.Generate();
            await network.CommitAsync(owner, "identity.register_patient", $$"""{"publicKey":"{{ResearchNetwork.Spki(owner)}}"}""");
            var uploaded = await network.SendAsync(owner, HttpMethod.Post, "api/v1/genomics/datasets?assay=wes&referenceBuild=grch38&coverage=100",
                Content(Vcf(genotype, extra)));
            var dataset = ResearchNetwork.Parse(uploaded.Body).GetProperty("id").GetString()!;
            await network.CommitAsync(owner, "gen.list",
                $$"""{"dataset":"{{dataset}}","price":0,"currency":"USD","purposes":["disease_research"],"durationDays":30,"commercial":false,"autoApprove":false,"beacon":{{(beacon ? "true" : "false")}}}""");
        }

        var common = ResearchNetwork.Parse((await network.SendAsync(network.ManagerKey, HttpMethod.Get, "api/v1/genomics/beacon?variant=17:43045712:G:A")).Body);
        // Five consenting carriers, released under the node's sticky noise (below k: suppressed).
        Assert.Equal(ReleasedCount.Of(Node.DataDirectory, "beacon|17:43045712:G:A", 5), Nullable(common.GetProperty("count")));
        var rareAnswer = ResearchNetwork.Parse((await network.SendAsync(network.ManagerKey, HttpMethod.Get, "api/v1/genomics/beacon?variant=chr2:47403406:C:T")).Body);
        Assert.Equal(ReleasedCount.Of(Node.DataDirectory, "beacon|2:47403406:C:T", 2), Nullable(rareAnswer.GetProperty("count")));
        Assert.Equal(HttpStatusCode.BadRequest, (await network.SendAsync(network.ManagerKey, HttpMethod.Get, "api/v1/genomics/beacon?variant=BRCA1")).Status);

        var queries = Node.Ledger.Store.ScanState(GenomicsKeys.QueryPrefix, 100).Select(r => JsonSerializer.Deserialize<BeaconQuery>(r.Value, Client.CareLedgerClient.Json)!).ToList();
        Assert.Equal(2, queries.Count);
        Assert.All(queries, q => Assert.Equal(ResearchNetwork.Manager, q.Asker));
    }

    private static long? Nullable(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetInt64();
}
