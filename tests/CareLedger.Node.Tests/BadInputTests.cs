using System.Net.Http.Json;
using CareLedger.Client;
using CareLedger.Client.Wire;
using CareLedger.Core.Encoding;
using CareLedger.Core.Ledger;
using CsCheck;

namespace CareLedger.Node.Tests;

[Collection("network")]
public sealed class BadInputTests : NodeTest
{
    private async Task<(int Status, string? Code)> Post(byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/cbor");
        using var response = await Node.Http.PostAsync("api/v1/transactions", content);
        var problem = response.IsSuccessStatusCode ? null : await response.Content.ReadFromJsonAsync<ProblemView>(CareLedgerClient.Json);
        return ((int)response.StatusCode, problem?.Code);
    }

    [Fact]
    public async Task Random_and_damaged_transactions_get_a_code_commit_nothing_and_leave_the_node_up()
    {
        var valid = Node.Factory.Create("notary.anchor", """{"hash":"00","documentType":"x"}""").Encoded.ToArray();
        var inputs = new List<byte[]>();
        Gen.Byte.Array[0, 500].Sample(b => inputs.Add(b), iter: 150);
        for (var n = 0; n < valid.Length; n += 7)
        {
            inputs.Add(valid[..n]);
        }
        Gen.Int[0, valid.Length - 1].Sample(i => { var b = valid.ToArray(); b[i] ^= 0x55; inputs.Add(b); }, iter: 150);

        foreach (var input in inputs)
        {
            var (status, code) = await Post(input);
            Assert.InRange(status, 400, 499);
            Assert.StartsWith("tx.", code);
        }
        Assert.Equal(0, Node.Ledger.Store.GetHead()!.Header.LogSize);
        Assert.Equal("committed", (await Node.Client.SubmitAsync(Node.Factory.Create("notary.anchor", $$"""{"hash":"{{Testing.TestChain.RandomHash()}}","documentType":"x"}"""), TimeSpan.FromSeconds(10))).Status);
    }

    [Fact]
    public async Task Replayed_and_expired_transactions_are_refused_and_not_committed_twice()
    {
        var tx = Node.Factory.Create("notary.anchor", $$"""{"hash":"{{Testing.TestChain.RandomHash()}}","documentType":"x"}""");
        Assert.Equal("committed", (await Node.Client.SubmitAsync(tx, TimeSpan.FromSeconds(10))).Status);
        Assert.Equal((409, "tx.replay"), await Post(tx.Encoded.ToArray()));
        var expired = TransactionCodec.Sign(Node.AdminKey, Node.Chain, "notary.anchor", TransactionArgs.Empty, 1, DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeMilliseconds());
        Assert.Equal((400, "tx.expired"), await Post(expired.Encoded.ToArray()));
        var wrongChain = TransactionCodec.Sign(Node.AdminKey, "elsewhere", "notary.anchor", TransactionArgs.Empty, 2, DateTimeOffset.UtcNow.AddSeconds(60).ToUnixTimeMilliseconds());
        Assert.Equal((400, "tx.wrong_chain"), await Post(wrongChain.Encoded.ToArray()));
        Assert.Equal(1, Node.Ledger.Store.GetHead()!.Header.LogSize);
    }

    [Fact]
    public async Task Malformed_json_submissions_get_a_code()
    {
        foreach (var json in new[] { "{}", """{"transaction":"%%%"}""", """{"transaction":42}""", "[]" })
        {
            using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
            using var response = await Node.Http.PostAsync("api/v1/transactions", content);
            Assert.Equal(400, (int)response.StatusCode);
            Assert.Equal("tx.malformed", (await response.Content.ReadFromJsonAsync<ProblemView>(CareLedgerClient.Json))!.Code);
        }
    }
}
