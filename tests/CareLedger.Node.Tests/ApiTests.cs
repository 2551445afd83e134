using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CareLedger.Client;
using CareLedger.Client.Wire;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Core.Merkle;

namespace CareLedger.Node.Tests;

[Collection("network")]
public sealed class ApiTests : NodeTest
{
    private Transaction Anchor(string? hash = null) =>
        Node.Factory.Create("notary.anchor", $$"""{"hash":"{{hash ?? Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray())}}","documentType":"lab-report"}""");

    [Fact]
    public async Task A_submitted_transaction_commits_and_its_receipt_verifies_offline()
    {
        var tx = Anchor();
        var outcome = await Node.Client.SubmitAsync(tx, TimeSpan.FromSeconds(10));
        Assert.Equal(("committed", tx.Id.ToString()), (outcome.Status, outcome.Id));

        var view = await Node.Client.GetTransactionAsync(tx.Id);
        Assert.Equal("notary.anchor", view.Type);
        Assert.Equal("notary.anchored", Assert.Single(view.Events!).Type);

        var document = await Node.Client.GetReceiptAsync(tx.Id);
        var receipt = document.ToReceipt();
        var genesis = GenesisDocument.Parse(File.ReadAllBytes(Path.Combine(Node.DataDirectory, "genesis.cbor")));
        Assert.Null(receipt.Verify(genesis.ValidatorKeys()));
        var head = await Node.Client.GetHeadAsync();
        Assert.Equal(head.Hash, receipt.SignedHeader.Header.Hash.ToString());

        // The same proof as a COSE receipt; damaging it is caught.
        Assert.NotNull(document.Cose);
        Assert.Null(document.Verify(genesis.ValidatorKeys()));
        var cose = Convert.FromBase64String(document.Cose!);
        cose[^10] ^= 0x01;
        Assert.StartsWith("receipt.bad_cose", document with { Cose = Convert.ToBase64String(cose) } is var damaged ? damaged.Verify(genesis.ValidatorKeys()) : null);

        var anchor = await Node.Client.GetAnchorAsync(tx.Args.GetString("hash"));
        var anchoredIn = await Node.Client.GetBlockAsync(outcome.Height!.Value);
        Assert.Equal((tx.Args.GetString("hash"), "lab-report", tx.Signer.ToString(), tx.Id.ToString(), outcome.Height.Value, anchoredIn.Header.Timestamp),
            (anchor.Hash, anchor.DocumentType, anchor.Signer, anchor.Transaction, anchor.Height, anchor.Timestamp));
    }

    [Fact]
    public async Task Blocks_are_served_by_height_and_hash_and_consistency_proofs_verify()
    {
        var first = await Node.Client.SubmitAsync(Anchor(), TimeSpan.FromSeconds(10));
        var headBefore = await Node.Client.GetHeadAsync();
        await Node.Client.SubmitBatchAsync([Anchor(), Anchor(), Anchor()], TimeSpan.FromSeconds(10));
        var headAfter = await Node.Client.GetHeadAsync();

        var byHeight = await Node.Client.GetBlockAsync(first.Height!.Value);
        var byHash = await Node.Client.GetBlockAsync(Hash.Parse(byHeight.Header.Hash));
        Assert.Equal(byHeight.Header.Hash, byHash.Header.Hash);
        Assert.Contains(first.Id, byHeight.Transactions);

        var proof = await Node.Client.GetConsistencyProofAsync(headBefore.LogSize, headAfter.LogSize);
        Assert.True(MerkleProofs.VerifyConsistency(headBefore.LogSize, headAfter.LogSize, Hash.Parse(headBefore.LogRoot), Hash.Parse(headAfter.LogRoot),
            proof.Proof.Select(Hash.Parse).ToList()));

        var error = await Assert.ThrowsAsync<CareLedgerException>(() => Node.Client.GetConsistencyProofAsync(2, headAfter.LogSize + 1));
        Assert.Equal("log.bad_range", error.Code);
        Assert.Equal("not_found", (await Assert.ThrowsAsync<CareLedgerException>(() => Node.Client.GetBlockAsync(9999))).Code);
    }

    [Fact]
    public async Task A_witness_without_a_key_reads_the_signed_checkpoint_and_proofs_and_nothing_else()
    {
        await Node.Client.SubmitBatchAsync([Anchor(), Anchor()], TimeSpan.FromSeconds(10));
        var head = await Node.Client.GetHeadAsync();
        using var witness = new HttpClient { BaseAddress = Node.Address };
        var genesis = GenesisDocument.Parse(File.ReadAllBytes(Path.Combine(Node.DataDirectory, "genesis.cbor")));

        var checkpoint = Checkpoint.Open(await witness.GetStringAsync(new Uri("checkpoint", UriKind.Relative)), genesis.ValidatorKeys().Values);
        Assert.True(checkpoint.Size >= head.LogSize);
        Assert.Equal(Checkpoint.OriginOf(Node.Chain), checkpoint.Origin);
        var proof = await witness.GetFromJsonAsync<ConsistencyView>(new Uri($"api/v1/log/consistency?size1=1&size2={checkpoint.Size}", UriKind.Relative), CareLedgerClient.Json);
        Assert.Equal(checkpoint.Root.ToString(), proof!.Root2);

        var badRange = await witness.GetAsync(new Uri($"api/v1/log/consistency?size1=0&size2={checkpoint.Size}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, badRange.StatusCode);
        Assert.Equal("log.bad_range", JsonDocument.Parse(await badRange.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        // The checkpoint names the head; the head itself, blocks and transactions still need a ledger key.
        foreach (var path in new[] { "api/v1/head", "api/v1/blocks/1", $"api/v1/transactions/{head.Hash}" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await witness.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
        }
    }

    [Fact]
    public async Task Each_item_of_a_batch_gets_its_own_outcome_and_bad_ones_commit_nothing()
    {
        var good = Anchor();
        var expired = Node.Factory.Create("notary.anchor", """{"hash":"00","documentType":"x"}""", TimeSpan.FromSeconds(-5));
        var request = new BatchSubmitRequest([Convert.ToBase64String(good.Encoded.Span), "@@not base64@@", Convert.ToBase64String(new byte[] { 0xA0 }),
            Convert.ToBase64String(expired.Encoded.Span), Convert.ToBase64String(good.Encoded.Span)]);
        using var response = await Node.Http.PostAsJsonAsync("api/v1/transactions/batch?wait=10000", request);
        var body = await response.Content.ReadFromJsonAsync<BatchSubmitResponse>(CareLedgerClient.Json);
        Assert.Equal(["committed", "refused", "refused", "refused", "refused"], body!.Results.Select(r => r.Status));
        Assert.Equal([null, "tx.malformed", "tx.malformed", "tx.expired", "tx.replay"], body.Results.Select(r => r.Code));
        Assert.Equal(1, Node.Ledger.Store.GetHead()!.Header.LogSize);
    }

    [Fact]
    public async Task Refusals_are_RFC_9457_problem_details_with_stable_codes()
    {
        using var tooLarge = new ByteArrayContent(new byte[TransactionCodec.MaxSize + 10]);
        tooLarge.Headers.ContentType = new("application/cbor");
        using var response = await Node.Http.PostAsync("api/v1/transactions", tooLarge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemView>(CareLedgerClient.Json);
        Assert.Equal("tx.too_large", problem!.Code);

        using var stranger = SigningKey.Generate();
        var unknown = new TransactionFactory(stranger, Node.Chain).Create("notary.anchor", """{"hash":"00","documentType":"x"}""");
        var error = await Assert.ThrowsAsync<CareLedgerException>(() => Node.Client.SubmitAsync(unknown));
        Assert.Equal((CareLedger.Ledger.LedgerErrorCodes.UnknownSigner, 403), (error.Code, error.Status));

        using var badJson = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");
        using var r2 = await Node.Http.PostAsync("api/v1/transactions/batch", badJson);
        Assert.Equal(HttpStatusCode.BadRequest, r2.StatusCode);
        Assert.Equal("request.malformed", (await r2.Content.ReadFromJsonAsync<ProblemView>(CareLedgerClient.Json))!.Code);
    }

    [Fact]
    public async Task The_OpenAPI_document_and_the_reference_page_are_served()
    {
        using var doc = JsonDocument.Parse(await Node.Http.GetStringAsync("openapi/v1.json"));
        var paths = doc.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/transactions", out _));
        Assert.True(paths.TryGetProperty("/api/v1/transactions/{id}/receipt", out _));
        using var page = await Node.Http.GetAsync("scalar/v1");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        // The bearer scheme is declared; authenticated reads require it and list 401 and 403; submissions (signed) do not.
        var scheme = doc.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("ledgerKey");
        Assert.Equal(("http", "bearer", "JWT"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString(), scheme.GetProperty("bearerFormat").GetString()));
        var head = paths.GetProperty("/api/v1/head").GetProperty("get");
        Assert.True(head.GetProperty("security")[0].TryGetProperty("ledgerKey", out _));
        Assert.True(head.GetProperty("responses").TryGetProperty("401", out _) && head.GetProperty("responses").TryGetProperty("403", out _));
        Assert.False(paths.GetProperty("/api/v1/transactions").GetProperty("post").TryGetProperty("security", out _));
    }

    [Fact]
    public async Task Health_answers_without_a_token()
    {
        using var doc = JsonDocument.Parse(await Node.Http.GetStringAsync("health"));
        Assert.Equal("ok", doc.RootElement.GetProperty("status").GetString());
    }
}
