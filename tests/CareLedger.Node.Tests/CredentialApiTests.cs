using System.Net;
using System.Text.Json;
using CareLedger.Core.Crypto;

namespace CareLedger.Node.Tests;

[Collection("network")]
public sealed class CredentialApiTests : NodeTest
{
    private Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path) => Node.GetAsAsync(Node.AdminKey, path);

    [Fact]
    public async Task A_board_exports_a_licence_as_a_VC_that_the_CLI_verifies_and_a_suspended_one_is_not_exported()
    {
        using var board = await CareSetup.AdmitAsync(Node, "org:state-board", "LicensingBoard");
        using var doctor = SigningKey.Generate();
        await CareSetup.CommitAsync(Node.Client, Node.AdminKey, Node.Chain, "identity.enrol_member",
            $$"""{"member":"member:dr-vc","roles":["practitioner"],"publicKey":"{{Convert.ToBase64String(doctor.PublicKey.SubjectPublicKeyInfo)}}"}""");
        var until = DateTimeOffset.UtcNow.AddYears(1);
        await CareSetup.CommitAsync(Node.Client, board, Node.Chain, "cred.issue",
            $$"""{"credential":"cred:ma-dr-vc","subject":"member:dr-vc","kind":"licence","profession":"physician","specialty":"cardiology","jurisdiction":"US-MA","number":"MA-777","validFrom":0,"validUntil":{{until.ToUnixTimeMilliseconds()}}}""");
        await CareSetup.CommitAsync(Node.Client, Node.AdminKey, Node.Chain, "cred.attest_employment",
            $$"""{"member":"member:dr-vc","role":"cardiologist","from":{{DateTimeOffset.UtcNow.AddYears(-4).ToUnixTimeMilliseconds()}}}""");

        var (_, practitioner) = await GetAsync("api/v1/practitioners/member:dr-vc");
        Assert.Equal("active", practitioner.GetProperty("qualifications")[0].GetProperty("standing").GetString());
        Assert.InRange(practitioner.GetProperty("yearsOfExperience").GetDouble(), 3.9, 4.1);
        var (_, licensed) = await GetAsync("api/v1/practitioners/member:dr-vc/licensed?for=cardiology&jurisdiction=US-MA");
        Assert.True(licensed.GetProperty("licensed").GetBoolean());
        var (_, elsewhere) = await GetAsync("api/v1/practitioners/member:dr-vc/licensed?for=cardiology&jurisdiction=US-NY");
        Assert.Equal("none", elsewhere.GetProperty("standing").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("api/v1/practitioners/member:dr-vc/licensed")).Status);

        var keyFile = Path.Combine(Node.DataDirectory, "board.key");
        await File.WriteAllTextAsync(keyFile, board.ExportPem());
        var export = await CliRunner.Run("vc", "export", "cred:ma-dr-vc", "--node", Node.Address.ToString(), "--key", keyFile);
        Assert.True(export.Exit == 0, export.Err);
        var token = export.Out.Trim();
        var jwks = Path.Combine(Node.DataDirectory, "board.jwks");
        await File.WriteAllTextAsync(jwks, await Node.Http.GetStringAsync($"api/v1/keys/{board.Id}/jwks"));

        var verified = await CliRunner.Run("vc", "verify", token, "--jwks", jwks);
        Assert.True(verified.Exit == 0, verified.Err);
        Assert.Equal("MA-777", JsonDocument.Parse(verified.Out).RootElement.GetProperty("credentialSubject").GetProperty("number").GetString());
        var late = await CliRunner.Run("vc", "verify", token, "--jwks", jwks, "--at", until.AddDays(1).ToString("O"));
        Assert.Equal(1, late.Exit);
        Assert.Contains("vc.expired", late.Err, StringComparison.Ordinal);
        var parts = token.Split('.');
        var tampered = await CliRunner.Run("vc", "verify", parts[0] + "." + parts[1][..^2] + "AA." + parts[2], "--jwks", jwks);
        Assert.NotEqual(0, tampered.Exit);
        Assert.Equal(2, (await CliRunner.Run("vc", "verify", "garbage", "--jwks", jwks)).Exit);

        var doctorKey = Path.Combine(Node.DataDirectory, "doctor.key");
        await File.WriteAllTextAsync(doctorKey, doctor.ExportPem());
        var impostor = await CliRunner.Run("vc", "export", "cred:ma-dr-vc", "--node", Node.Address.ToString(), "--key", doctorKey);
        Assert.Equal(1, impostor.Exit);
        // The issuer publishes its status lists; with them, a verifier sees what happens to the credential after its export.
        var suspensionList = Path.Combine(Node.DataDirectory, "suspension.jwt");
        async Task PublishAsync()
        {
            var published = await CliRunner.Run("vc", "status-list", "org:state-board", "--purpose", "suspension", "--node", Node.Address.ToString(), "--key", keyFile);
            Assert.True(published.Exit == 0, published.Err);
            await File.WriteAllTextAsync(suspensionList, published.Out);
        }
        await PublishAsync();
        var current = await CliRunner.Run("vc", "verify", token, "--jwks", jwks, "--status-list", suspensionList);
        Assert.True(current.Exit == 0, current.Err);
        Assert.Contains("BitstringStatusListEntry", current.Out, StringComparison.Ordinal);
        Assert.Equal(1, (await CliRunner.Run("vc", "status-list", "org:state-board", "--node", Node.Address.ToString(), "--key", doctorKey)).Exit);

        await CareSetup.CommitAsync(Node.Client, board, Node.Chain, "cred.suspend", """{"credential":"cred:ma-dr-vc","reason":"under investigation"}""");
        await PublishAsync();
        // The hole: the exported credential still verified after its licence was suspended.
        var stale = await CliRunner.Run("vc", "verify", token, "--jwks", jwks, "--status-list", suspensionList);
        Assert.Equal(1, stale.Exit);
        Assert.Contains("vc.suspended", stale.Err, StringComparison.Ordinal);
        // A list signed by anyone but the issuer is not its list: an all-clear forged by another key leaves the status unknown.
        var (_, unsigned) = await GetAsync("api/v1/credentials/status-lists/org:state-board?purpose=revocation");
        var forged = Path.Combine(Node.DataDirectory, "forged.jwt");
        await File.WriteAllTextAsync(forged, Core.Jose.CredentialIssuer.Sign(System.Text.Json.Nodes.JsonNode.Parse(unsigned.GetRawText())!.AsObject(), Node.AdminKey));
        var unknown = await CliRunner.Run("vc", "verify", token, "--jwks", jwks, "--status-list", forged);
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("vc.status_unknown", unknown.Err, StringComparison.Ordinal);
        // The hole: "licensed on today?" answered for midnight UTC, before this morning's suspension.
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var (_, onTheDay) = await GetAsync($"api/v1/practitioners/member:dr-vc/licensed?for=cardiology&date={today}");
        Assert.Equal((false, "suspended"), (onTheDay.GetProperty("licensed").GetBoolean(), onTheDay.GetProperty("standing").GetString()));
        var (_, atMidnight) = await GetAsync($"api/v1/practitioners/member:dr-vc/licensed?for=cardiology&at={today}T00:00:00Z");
        Assert.True(atMidnight.GetProperty("licensed").GetBoolean());
        var (_, now) = await GetAsync("api/v1/practitioners/member:dr-vc/licensed?for=cardiology");
        Assert.False(now.GetProperty("licensed").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("api/v1/practitioners/member:dr-vc/licensed?for=cardiology&date=yesterday")).Status);
        var refused = await CliRunner.Run("vc", "export", "cred:ma-dr-vc", "--node", Node.Address.ToString(), "--key", keyFile);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("suspended", refused.Err, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Node.Http.GetAsync("api/v1/keys/00/jwks")).StatusCode);
    }
}
