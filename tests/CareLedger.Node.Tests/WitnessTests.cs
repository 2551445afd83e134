using System.Net;
using System.Text;
using System.Text.Json;
using CareLedger.Client;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;

namespace CareLedger.Node.Tests;

/// <summary>Witnesses cosign a node's checkpoints; the node keeps cosignatures only of the witnesses it is configured with.</summary>
[Collection("network")]
public sealed class WitnessTests : IAsyncLifetime
{
    private readonly WitnessKey _witness = WitnessKey.Generate("witness.partner-hospital.example/ledger");
    private readonly string _witnessFile = Path.GetTempFileName();
    private InProcessNode _node = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_witnessFile, $"# the partner hospital's witness\n{_witness.Witness.VerifierKey}\n");
        _node = await InProcessNode.StartAsync(null, "--witnesses", _witnessFile);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _node.DeleteData();
        File.Delete(_witnessFile);
    }

    private async Task<(HttpStatusCode Status, string? Code)> HandInAsync(string note)
    {
        using var response = await _node.Http.PostAsync(new Uri("api/v1/checkpoint/cosignatures", UriKind.Relative), new StringContent(note, Encoding.UTF8, "text/plain"));
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.IsSuccessStatusCode ? null : JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_configured_witnesss_cosignature_is_kept_and_a_receipt_carries_it_to_an_offline_check()
    {
        var tx = _node.Factory.Create("notary.anchor", $$"""{"hash":"{{Testing.TestChain.RandomHash()}}","documentType":"x"}""");
        await _node.Client.SubmitAsync(tx, TimeSpan.FromSeconds(10));
        Assert.Equal("receipt.not_witnessed", (await Assert.ThrowsAsync<CareLedgerException>(() => _node.Client.GetWitnessedReceiptAsync(tx.Id))).Code);

        var note = await _node.Http.GetStringAsync(new Uri("checkpoint", UriKind.Relative));
        var genesis = GenesisDocument.Parse(File.ReadAllBytes(Path.Combine(_node.DataDirectory, "genesis.cbor")));
        var checkpoint = Checkpoint.Open(note, genesis.ValidatorKeys().Values);
        Assert.Equal((HttpStatusCode.OK, null), await HandInAsync(note + _witness.Cosign(checkpoint, DateTimeOffset.UtcNow.ToUnixTimeSeconds())));

        var witnessed = await _node.Http.GetStringAsync(new Uri("api/v1/checkpoint/witnessed", UriKind.Relative));
        var (body, signatures) = Checkpoint.SplitNote(witnessed);
        Assert.NotNull(_witness.Witness.CosignedAt(body, signatures));

        var receipt = await _node.Client.GetWitnessedReceiptAsync(tx.Id);
        Assert.Null(receipt.Verify(genesis.ValidatorKeys()));
        Assert.Null(receipt.VerifyWitnessed([Witness.Parse(_witness.Witness.VerifierKey)], genesis.ValidatorKeys().Values));
        var stranger = WitnessKey.Generate("witness.stranger.example/w").Witness;
        Assert.StartsWith("receipt.witness_missing", receipt.VerifyWitnessed([stranger], genesis.ValidatorKeys().Values));
    }

    [Fact]
    public async Task An_unknown_witness_a_forged_checkpoint_or_a_broken_cosignature_is_refused_with_its_code()
    {
        await _node.Client.SubmitAsync(_node.Factory.Create("notary.anchor", $$"""{"hash":"{{Testing.TestChain.RandomHash()}}","documentType":"x"}"""), TimeSpan.FromSeconds(10));
        var note = await _node.Http.GetStringAsync(new Uri("checkpoint", UriKind.Relative));
        var genesis = GenesisDocument.Parse(File.ReadAllBytes(Path.Combine(_node.DataDirectory, "genesis.cbor")));
        var checkpoint = Checkpoint.Open(note, genesis.ValidatorKeys().Values);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        // Someone who is not a configured witness.
        var stranger = WitnessKey.Generate("witness.stranger.example/w");
        Assert.Equal((HttpStatusCode.BadRequest, "checkpoint.no_witness"), await HandInAsync(note + stranger.Cosign(checkpoint, now)));

        // A checkpoint the node never signed (another root), signed by a key of the attacker's own, cosigned by the real witness.
        using var attacker = SigningKey.Generate();
        var forged = checkpoint with { Root = Hash.Compute("forged"u8) };
        Assert.Equal((HttpStatusCode.BadRequest, "checkpoint.not_ours"), await HandInAsync(forged.Sign(attacker) + _witness.Cosign(forged, now)));

        // The witness's line with its time changed after signing.
        var line = _witness.Cosign(checkpoint, now);
        var bytes = Convert.FromBase64String(line.Split(' ')[2].TrimEnd('\n'));
        bytes[11] ^= 0x01;
        Assert.Equal((HttpStatusCode.BadRequest, "checkpoint.bad_cosignature"),
            await HandInAsync(note + Checkpoint.SignatureLine(_witness.Witness.Name, bytes)));
        Assert.Equal((HttpStatusCode.BadRequest, "checkpoint.malformed"), await HandInAsync("not a note"));
        Assert.Equal(HttpStatusCode.NotFound, (await _node.Http.GetAsync(new Uri("api/v1/checkpoint/witnessed", UriKind.Relative))).StatusCode);
    }
}
