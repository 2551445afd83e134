using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CareLedger.Client;
using CareLedger.Client.Wire;
using CareLedger.Core.Crypto;

namespace CareLedger.Node.Tests;

[Collection("network")]
public sealed class AuthTests : NodeTest
{
    private async Task<(HttpStatusCode Status, string? Code)> GetHead(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/head");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await Node.Http.SendAsync(request);
        if (response.IsSuccessStatusCode)
        {
            return (response.StatusCode, null);
        }
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<ProblemView>(CareLedgerClient.Json))!.Code);
    }

    private static string Token(SigningKey key, object header, object claims)
    {
        var input = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims));
        return input + "." + Base64Url.EncodeToString(key.Sign(Encoding.ASCII.GetBytes(input)).Span);
    }

    [Fact]
    public async Task A_fresh_token_from_a_registered_key_is_accepted()
    {
        var token = AccessToken.Create(Node.AdminKey, Node.Chain, TimeSpan.FromMinutes(2), DateTimeOffset.UtcNow);
        Assert.Equal((HttpStatusCode.OK, null), await GetHead(token));
    }

    [Fact]
    public async Task Bad_tokens_are_refused_with_their_codes()
    {
        var now = DateTimeOffset.UtcNow;
        var admin = Node.AdminKey;
        using var stranger = SigningKey.Generate();
        var header = new { alg = "ES256", typ = "JWT", kid = admin.Id.ToString() };
        long iat = now.ToUnixTimeSeconds();

        Assert.Equal((HttpStatusCode.Unauthorized, "auth.missing_token"), await GetHead(null));
        Assert.Equal((HttpStatusCode.Unauthorized, "auth.bad_token"), await GetHead("not.a.jwt.at.all"));
        Assert.Equal((HttpStatusCode.Unauthorized, "auth.bad_token"), await GetHead("a.b.c"));
        Assert.Equal((HttpStatusCode.Unauthorized, "auth.expired_token"),
            await GetHead(AccessToken.Create(admin, Node.Chain, TimeSpan.FromMinutes(1), now.AddMinutes(-10))));
        Assert.Equal((HttpStatusCode.Unauthorized, "auth.bad_token"),
            await GetHead(AccessToken.Create(admin, "another-chain", TimeSpan.FromMinutes(1), now)));
        Assert.Equal((HttpStatusCode.Unauthorized, "auth.bad_token"),
            await GetHead(Token(admin, header, new { aud = Node.Chain, iat, exp = iat + 3600 })));
        Assert.Equal((HttpStatusCode.Unauthorized, "auth.bad_token"),
            await GetHead(Token(admin, new { alg = "none", kid = admin.Id.ToString() }, new { aud = Node.Chain, iat, exp = iat + 60 })));
        Assert.Equal((HttpStatusCode.Unauthorized, "auth.unknown_key"),
            await GetHead(AccessToken.Create(stranger, Node.Chain, TimeSpan.FromMinutes(1), now)));
        // A stranger signs but claims the admin's key id.
        Assert.Equal((HttpStatusCode.Unauthorized, "auth.bad_signature"),
            await GetHead(Token(stranger, header, new { aud = Node.Chain, iat, exp = iat + 60 })));
        // A token accepted once is remembered by its exact bytes: the same claims with a changed signature are verified, and refused.
        var accepted = AccessToken.Create(admin, Node.Chain, TimeSpan.FromMinutes(1), now);
        Assert.Equal(HttpStatusCode.OK, (await GetHead(accepted)).Item1);
        var signature = Base64Url.DecodeFromChars(accepted.Split('.')[2]);
        signature[10] ^= 1;
        Assert.Equal((HttpStatusCode.Unauthorized, "auth.bad_signature"),
            await GetHead(string.Join('.', accepted.Split('.')[..2]) + "." + Base64Url.EncodeToString(signature)));
    }

    [Fact]
    public async Task A_token_with_a_valid_high_S_signature_is_accepted_as_RFC_7518_allows()
    {
        var token = AccessToken.Create(Node.AdminKey, Node.Chain, TimeSpan.FromMinutes(2), DateTimeOffset.UtcNow);
        var parts = token.Split('.');
        var signature = Base64Url.DecodeFromChars(parts[2]);
        var order = System.Numerics.BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);
        var high = (order - new System.Numerics.BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: true)).ToByteArray(isUnsigned: true, isBigEndian: true);
        signature.AsSpan(32).Clear();
        high.CopyTo(signature.AsSpan(64 - high.Length));
        Assert.Equal((HttpStatusCode.OK, null), await GetHead($"{parts[0]}.{parts[1]}.{Base64Url.EncodeToString(signature)}"));
    }

    [Fact]
    public async Task Refused_tokens_are_security_events_that_the_organisations_security_officer_reads_and_no_one_else()
    {
        using var stranger = SigningKey.Generate();
        Assert.Equal((HttpStatusCode.Unauthorized, "auth.unknown_key"), await GetHead(AccessToken.Create(stranger, Node.Chain, TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow)));
        Assert.Equal((HttpStatusCode.Unauthorized, "auth.missing_token"), await GetHead(null));

        using var officer = SigningKey.Generate();
        using var clerk = SigningKey.Generate();
        await CareSetup.CommitAsync(Node.Client, Node.AdminKey, Node.Chain, "identity.enrol_member",
            $$"""{"member":"member:sec-officer","roles":["security-officer"],"publicKey":"{{Convert.ToBase64String(officer.PublicKey.SubjectPublicKeyInfo)}}"}""");
        await CareSetup.CommitAsync(Node.Client, Node.AdminKey, Node.Chain, "identity.enrol_member",
            $$"""{"member":"member:clerk","roles":["clinician"],"publicKey":"{{Convert.ToBase64String(clerk.PublicKey.SubjectPublicKeyInfo)}}"}""");

        var (status, body) = await Node.GetAsAsync(officer, "api/v1/security/refusals");
        Assert.Equal(HttpStatusCode.OK, status);
        var events = body.EnumerateArray().ToList();
        Assert.Contains(events, e => e.GetProperty("code").GetString() == "auth.unknown_key" && e.GetProperty("kid").GetString() == stranger.Id.ToString()
            && e.GetProperty("route").GetString() == "/api/v1/head");
        Assert.Contains(events, e => e.GetProperty("code").GetString() == "auth.missing_token");
        Assert.DoesNotContain(events, e => e.ToString().Contains("Bearer", StringComparison.Ordinal));

        var (refused, problem) = await Node.GetAsAsync(clerk, "api/v1/security/refusals");
        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.Equal("auth.forbidden", problem.GetProperty("code").GetString());
        // Another organisation's security officer is an officer of its own node, not of this one.
        using var clinic = await CareSetup.AdmitAsync(Node, "org:other-clinic", "Clinic");
        using var foreignOfficer = SigningKey.Generate();
        await CareSetup.CommitAsync(Node.Client, clinic, Node.Chain, "identity.enrol_member",
            $$"""{"member":"member:other-sec","roles":["security-officer"],"publicKey":"{{Convert.ToBase64String(foreignOfficer.PublicKey.SubjectPublicKeyInfo)}}"}""");
        Assert.Equal(HttpStatusCode.Forbidden, (await Node.GetAsAsync(foreignOfficer, "api/v1/security/refusals")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Node.GetAsAsync(clinic, "api/v1/security/refusals")).Status);

        // The last refusal is itself a security event.
        (_, body) = await Node.GetAsAsync(officer, "api/v1/security/refusals?limit=1");
        Assert.Equal(clinic.Id.ToString(), Assert.Single(body.EnumerateArray().ToList()).GetProperty("kid").GetString());
    }

    [Fact]
    public async Task A_member_rotates_their_key_with_the_CLI_and_the_old_key_no_longer_signs_in()
    {
        using var old = SigningKey.Generate();
        await CareSetup.CommitAsync(Node.Client, Node.AdminKey, Node.Chain, "identity.enrol_member",
            $$"""{"member":"member:rotating","roles":["clinician"],"publicKey":"{{Convert.ToBase64String(old.PublicKey.SubjectPublicKeyInfo)}}"}""");
        var oldFile = Path.Combine(Node.DataDirectory, "rotating.key");
        var newFile = Path.Combine(Node.DataDirectory, "rotated.key");
        await File.WriteAllTextAsync(oldFile, old.ExportPem());
        // A token the node accepted (and remembers as verified) stops working with the key's revocation.
        var before = AccessToken.Create(old, Node.Chain, TimeSpan.FromMinutes(2), DateTimeOffset.UtcNow);
        Assert.Equal((HttpStatusCode.OK, null), await GetHead(before));

        var rotated = await CliRunner.Run("keys", "rotate", "--node", Node.Address.ToString(), "--key", oldFile, "--out", newFile);
        Assert.True(rotated.Exit == 0, rotated.Err);
        Assert.Equal("member:rotating", JsonDocument.Parse(rotated.Out).RootElement.GetProperty("owner").GetString());
        using var next = SigningKey.FromPem(await File.ReadAllTextAsync(newFile));
        Assert.Equal((HttpStatusCode.Unauthorized, "auth.unknown_key"), await GetHead(AccessToken.Create(old, Node.Chain, TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow)));
        Assert.Equal((HttpStatusCode.Unauthorized, "auth.unknown_key"), await GetHead(before));
        Assert.Equal((HttpStatusCode.OK, null), await GetHead(AccessToken.Create(next, Node.Chain, TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow)));

        // The revoked key cannot rotate again, and the refused attempt leaves no new key file behind.
        var again = await CliRunner.Run("keys", "rotate", "--node", Node.Address.ToString(), "--key", oldFile, "--out", newFile + ".2");
        Assert.Equal(1, again.Exit);
        Assert.False(File.Exists(newFile + ".2"));
    }

    [Fact]
    public async Task Random_tokens_never_get_through_or_crash_the_node()
    {
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(1, 300)];
            random.NextBytes(bytes);
            var token = i % 2 == 0 ? Base64Url.EncodeToString(bytes) : string.Join('.', Base64Url.EncodeToString(bytes.AsSpan(0, bytes.Length / 2)), "e30", Base64Url.EncodeToString(bytes));
            var (status, code) = await GetHead(token);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.StartsWith("auth.", code);
        }
        Assert.Equal((HttpStatusCode.OK, null), await GetHead(AccessToken.Create(Node.AdminKey, Node.Chain, TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow)));
    }
}
