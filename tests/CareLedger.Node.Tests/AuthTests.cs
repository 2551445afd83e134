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
