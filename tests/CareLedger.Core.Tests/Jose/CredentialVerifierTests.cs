using System.Buffers.Text;
using System.Text.Json.Nodes;
using CareLedger.Core.Crypto;
using CareLedger.Core.Jose;

namespace CareLedger.Core.Tests.Jose;

public sealed class CredentialVerifierTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static JsonObject Vc(string validFrom = "2027-01-01T00:00:00Z", string? validUntil = "2028-01-01T00:00:00Z")
    {
        var vc = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2"),
            ["type"] = new JsonArray("VerifiableCredential", "MedicalLicenseCredential"),
            ["issuer"] = "https://board.example/issuers/1",
            ["validFrom"] = validFrom,
            ["credentialSubject"] = new JsonObject { ["id"] = "did:example:dr-lee", ["licenseNumber"] = "MA-12345" },
        };
        if (validUntil is not null)
        {
            vc["validUntil"] = validUntil;
        }
        return vc;
    }

    private static JsonObject HealthCard(long nbf) => new()
    {
        ["iss"] = "https://clinic.example",
        ["nbf"] = nbf,
        ["vc"] = new JsonObject
        {
            ["type"] = new JsonArray("https://smarthealth.cards#health-card", "https://smarthealth.cards#immunization"),
            ["credentialSubject"] = new JsonObject { ["fhirVersion"] = "4.0.1", ["fhirBundle"] = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "collection" } },
        },
    };

    private static CredentialVerification Check(string token, JoseTestIssuer issuer) => CredentialVerifier.Verify(token, JsonWebKey.ParseSet(issuer.Jwks()), Now);

    [Theory]
    [InlineData("ES256")]
    [InlineData("ES384")]
    [InlineData("ES512")]
    [InlineData("EdDSA")]
    public void A_VC_JOSE_credential_signed_with_each_algorithm_verifies_and_a_tampered_one_does_not(string alg)
    {
        var issuer = JoseTestIssuer.Create(alg);
        var token = issuer.Sign(Vc());
        var result = Check(token, issuer);
        Assert.Equal((CredentialVerification.Verified, CredentialVerifier.VcJose, "https://board.example/issuers/1"), (result.Code, result.Format, result.Issuer));
        Assert.Equal("MA-12345", result.Credential!["credentialSubject"]!["licenseNumber"]!.ToString());

        var parts = token.Split('.');
        var forged = Vc();
        forged["credentialSubject"]!["licenseNumber"] = "MA-99999";
        var tampered = parts[0] + "." + Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(forged.ToJsonString())) + "." + parts[2];
        Assert.Equal(CredentialVerification.BadSignature, Check(tampered, issuer).Code);
        Assert.Equal(CredentialVerification.BadSignature, Check(token, JoseTestIssuer.Create(alg)).Code);
        Assert.Equal(CredentialVerification.UnknownKey, Check(token, JoseTestIssuer.Create(alg, kid: "another")).Code);
    }

    [Fact]
    public void Validity_periods_are_enforced_with_a_reason()
    {
        var issuer = JoseTestIssuer.Create("ES256");
        var expired = Check(issuer.Sign(Vc(validUntil: "2027-02-01T00:00:00Z")), issuer);
        Assert.Equal(CredentialVerification.Expired, expired.Code);
        Assert.Contains("2027-02-01", expired.Message, StringComparison.Ordinal);
        // Times in messages are the UTC instant, not a local time with a literal Z.
        var early = Check(issuer.Sign(Vc(validFrom: "2027-05-31T23:00:00-02:00")), issuer);
        Assert.Equal(CredentialVerification.NotYetValid, early.Code);
        Assert.Contains("2027-06-01T01:00:00Z", early.Message, StringComparison.Ordinal);
        Assert.Equal(CredentialVerification.NotYetValid, Check(issuer.Sign(Vc(validFrom: "2027-06-01T00:00:00Z")), issuer).Code);
        var withExp = Vc(validUntil: null);
        withExp["exp"] = Now.AddSeconds(-1).ToUnixTimeSeconds();
        Assert.Equal(CredentialVerification.Expired, Check(issuer.Sign(withExp), issuer).Code);
        Assert.Equal(JoseException.Malformed, Check(issuer.Sign(Vc(validFrom: "next tuesday")), issuer).Code);
    }

    [Fact]
    public void A_SMART_Health_Card_with_a_deflated_payload_verifies()
    {
        var issuer = JoseTestIssuer.HealthCardIssuer();
        var card = issuer.Sign(HealthCard(Now.AddDays(-30).ToUnixTimeSeconds()), deflate: true);
        var result = Check(card, issuer);
        Assert.Equal((CredentialVerification.Verified, CredentialVerifier.SmartHealthCard, "https://clinic.example"), (result.Code, result.Format, result.Issuer));
        Assert.Equal("Bundle", result.Credential!["vc"]!["credentialSubject"]!["fhirBundle"]!["resourceType"]!.ToString());
        Assert.Equal(CredentialVerification.NotYetValid, Check(issuer.Sign(HealthCard(Now.AddDays(1).ToUnixTimeSeconds()), deflate: true), issuer).Code);

        var parts = card.Split('.');
        var notDeflate = parts[0] + "." + Base64Url.EncodeToString("not deflate data at all"u8) + "." + parts[2];
        Assert.Equal(JoseException.Malformed, Check(notDeflate, issuer).Code);
    }

    [Fact]
    public void A_SMART_Health_Card_that_breaks_the_framework_s_rules_is_refused_with_the_rule()
    {
        var issuer = JoseTestIssuer.HealthCardIssuer();
        var nbf = Now.AddDays(-30).ToUnixTimeSeconds();
        string Card(Action<JsonObject> change)
        {
            var card = HealthCard(nbf);
            change(card);
            return issuer.Sign(card, deflate: true);
        }
        Assert.Equal(CredentialVerification.Verified, Check(Card(_ => { }), issuer).Code);
        Assert.Equal(CredentialVerification.NotAHealthCard, Check(Card(c => c.Remove("nbf")), issuer).Code);
        Assert.Equal(CredentialVerification.NotAHealthCard, Check(Card(c => c.Remove("iss")), issuer).Code);
        Assert.Equal(CredentialVerification.NotACredential, Check(Card(c => c["vc"]!["type"] = new JsonArray("VerifiableCredential")), issuer).Code);
        // Signed with another algorithm, or named by a kid that is not the key's thumbprint.
        var es384 = JoseTestIssuer.Create("ES384");
        Assert.Equal(CredentialVerification.NotAHealthCard, Check(es384.Sign(HealthCard(nbf), deflate: true), es384).Code);
        var named = JoseTestIssuer.Create("ES256", kid: "clinic-key");
        Assert.Equal(CredentialVerification.NotAHealthCard, Check(named.Sign(HealthCard(nbf), deflate: true), named).Code);
    }

    [Fact]
    public void Only_a_token_typed_as_a_credential_is_taken_for_one()
    {
        var issuer = JoseTestIssuer.Create("ES256");
        Assert.Equal(CredentialVerification.Verified, Check(issuer.Sign(Vc(), typ: "vc+jwt"), issuer).Code);
        Assert.Equal(CredentialVerification.Verified, Check(issuer.Sign(Vc()), issuer).Code);
        Assert.Equal(CredentialVerification.WrongType, Check(issuer.Sign(Vc(), typ: "vp+jwt"), issuer).Code);
        Assert.Equal(CredentialVerification.WrongType, Check(issuer.Sign(Vc(), typ: "at+jwt"), issuer).Code);
    }

    [Fact]
    public void A_JWK_Set_that_also_holds_keys_this_verifier_does_not_use_is_read_for_the_ones_it_does()
    {
        var issuer = JoseTestIssuer.Create("ES256");
        var rsa = new JsonObject { ["kty"] = "RSA", ["kid"] = "rsa-1", ["n"] = "0vx7agoebGcQSuuPiLJXZpt", ["e"] = "AQAB" };
        var unknownCurve = new JsonObject { ["kty"] = "EC", ["crv"] = "secp256k1", ["x"] = "AA", ["y"] = "AA" };
        var jwks = new JsonObject { ["keys"] = new JsonArray(rsa, unknownCurve, issuer.Jwk()) }.ToJsonString();
        var keys = JsonWebKey.ParseSet(jwks);
        Assert.Equal(["issuer-key-1"], keys.Select(k => k.Kid));
        Assert.Equal(CredentialVerification.Verified, CredentialVerifier.Verify(issuer.Sign(Vc()), keys, Now).Code);
        // Nothing usable, or a private key anywhere, still refuses the set.
        Assert.Equal(JoseException.Unsupported, Assert.Throws<JoseException>(() => JsonWebKey.ParseSet(new JsonObject { ["keys"] = new JsonArray(rsa.DeepClone()) }.ToJsonString())).Code);
        var withPrivate = issuer.Jwk();
        withPrivate["d"] = "AAAA";
        Assert.Equal(JoseException.Malformed, Assert.Throws<JoseException>(() => JsonWebKey.ParseSet(new JsonObject { ["keys"] = new JsonArray(rsa.DeepClone(), withPrivate) }.ToJsonString())).Code);
    }

    [Fact]
    public void The_RFC_7638_thumbprint_follows_its_definition_and_matches_RFC_8037_s_example()
    {
        // An EC key: SHA-256 over the required members in lexicographic order, no whitespace (RFC 7638 §3.2).
        var jwk = JoseTestIssuer.Create("ES256").Jwk();
        var members = $$"""{"crv":"P-256","kty":"EC","x":"{{jwk["x"]}}","y":"{{jwk["y"]}}"}""";
        var expected = Base64Url.EncodeToString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(members)));
        Assert.Equal(expected, JsonWebKey.Parse(jwk).Thumbprint());
        // RFC 8037 Appendix A.3: the Ed25519 example key's thumbprint.
        Assert.Equal("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k",
            JsonWebKey.Parse(new JsonObject { ["kty"] = "OKP", ["crv"] = "Ed25519", ["x"] = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" }).Thumbprint());
    }

    [Fact]
    public void A_credential_exported_with_a_ledger_key_verifies_against_its_JWK()
    {
        using var key = SigningKey.Generate();
        var token = CompactJws.Sign(new JsonObject { ["typ"] = "vc+jwt" }, System.Text.Encoding.UTF8.GetBytes(Vc().ToJsonString()), key);
        var jwks = new JsonObject { ["keys"] = new JsonArray(JsonWebKey.ToJwk(key.PublicKey)) }.ToJsonString();
        var result = CredentialVerifier.Verify(token, JsonWebKey.ParseSet(jwks), Now);
        Assert.Equal((CredentialVerification.Verified, key.Id.ToString()), (result.Code, result.Kid));
    }

    [Theory]
    [InlineData("not a token")]
    [InlineData("a.b")]
    [InlineData("!!.e30.AA")]
    [InlineData("e30.e30.AA")]
    public void Malformed_tokens_are_malformed(string token)
    {
        var result = Check(token, JoseTestIssuer.Create("ES256"));
        Assert.True(result.Malformed, result.Code);
    }

    [Fact]
    public void A_signed_payload_that_is_not_a_credential_is_refused()
    {
        var issuer = JoseTestIssuer.Create("ES256");
        var result = Check(issuer.Sign(new JsonObject { ["sub"] = "someone" }), issuer);
        Assert.Equal(CredentialVerification.NotACredential, result.Code);
        Assert.True(result.Malformed);
    }

    [Fact]
    public void Bad_keys_are_refused_with_a_code()
    {
        var jwk = JoseTestIssuer.Create("ES256").Jwk();
        jwk["d"] = "AAAA";
        Assert.Equal(JoseException.Malformed, Assert.Throws<JoseException>(() => JsonWebKey.Parse(jwk)).Code);
        var offCurve = JoseTestIssuer.Create("ES256").Jwk();
        offCurve["y"] = Base64Url.EncodeToString(new byte[32]);
        Assert.Equal(JoseException.Malformed, Assert.Throws<JoseException>(() => JsonWebKey.Parse(offCurve)).Code);
        Assert.Equal(JoseException.Unsupported, Assert.Throws<JoseException>(() => JsonWebKey.Parse(new JsonObject { ["kty"] = "RSA", ["crv"] = "none" })).Code);
        Assert.Equal(JoseException.Malformed, Assert.Throws<JoseException>(() => JsonWebKey.ParseSet("""{"keys":"x"}""")).Code);
    }

    [Fact]
    public void The_RFC_8037_Ed25519_example_verifies()
    {
        // RFC 8037 Appendix A.1 (public key) and A.4 (JWS of "Example of Ed25519 signing").
        var key = JsonWebKey.Parse(new JsonObject { ["kty"] = "OKP", ["crv"] = "Ed25519", ["x"] = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" });
        var jws = CompactJws.Parse("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg");
        Assert.Equal("Example of Ed25519 signing", System.Text.Encoding.UTF8.GetString(jws.Payload));
        Assert.Same(key, jws.SignedBy([key]));
        Assert.False(key.Verify("EdDSA", "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc_"u8, jws.Signature));
    }
}
