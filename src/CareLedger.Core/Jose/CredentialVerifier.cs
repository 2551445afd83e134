using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CareLedger.Core.Jose;

/// <summary>
/// Verifies credentials presented from elsewhere against trusted keys: W3C Verifiable Credentials 2.0 secured
/// with JOSE (VC-JOSE-COSE: the JWS payload is the credential, validity in <c>validFrom</c>/<c>validUntil</c>)
/// and SMART Health Cards (DEFLATE-compressed JWS whose payload carries <c>iss</c>, <c>nbf</c> and a <c>vc</c>
/// claim). JWT <c>nbf</c>/<c>exp</c> are honoured in both. Signatures: ES256, ES384, ES512, EdDSA (Ed25519).
/// </summary>
public static class CredentialVerifier
{
    public const string VcJose = "vc-jose";
    public const string SmartHealthCard = "smart-health-card";

    public static CredentialVerification Verify(string token, IReadOnlyList<JsonWebKey> trusted, DateTimeOffset now)
    {
        CompactJws jws;
        JsonObject payload;
        try
        {
            jws = CompactJws.Parse(token);
            payload = JsonNode.Parse(jws.Payload) as JsonObject
                ?? throw new JoseException(JoseException.Malformed, "The JWS payload is not a JSON object.");
        }
        catch (JoseException ex)
        {
            return new CredentialVerification(ex.Code, ex.Message, null, null, null, null);
        }
        catch (JsonException ex)
        {
            return new CredentialVerification(JoseException.Malformed, $"The JWS payload is not JSON: {ex.Message}", null, null, null, null);
        }

        var shc = payload["vc"] is JsonObject;
        var format = shc ? SmartHealthCard : VcJose;
        var credential = shc ? (JsonObject)payload["vc"]! : payload;
        if (!IsCredential(credential, shc))
        {
            return new CredentialVerification(CredentialVerification.NotACredential,
                shc ? "The \"vc\" claim has no \"type\" including VerifiableCredential or a SMART health card type."
                    : $"The payload is not a W3C Verifiable Credential 2.0 (\"@context\" starting with {CredentialIssuer.V2Context} and \"type\" including VerifiableCredential).",
                format, payload, null, jws.Kid);
        }
        var issuer = shc ? payload["iss"]?.ToString() : credential["issuer"] switch { JsonObject o => o["id"]?.ToString(), var n => n?.ToString() };
        CredentialVerification Result(string code, string message) => new(code, message, format, payload, issuer, jws.Kid);

        if (jws.Algorithm is not ("ES256" or "ES384" or "ES512" or "EdDSA"))
        {
            return Result(JoseException.Unsupported, $"Signature algorithm {jws.Algorithm} is not accepted (ES256, ES384, ES512, EdDSA).");
        }
        if (!trusted.Any(k => (jws.Kid is null || k.Kid == jws.Kid) && k.Algorithm == jws.Algorithm))
        {
            return Result(CredentialVerification.UnknownKey, jws.Kid is null
                ? $"No trusted {jws.Algorithm} key was given."
                : $"No trusted {jws.Algorithm} key has kid {jws.Kid}.");
        }
        if (jws.SignedBy(trusted) is null)
        {
            return Result(CredentialVerification.BadSignature, "The signature does not verify: the token was altered or signed by another key.");
        }
        try
        {
            var from = Latest(Time(credential, "validFrom"), Epoch(payload, "nbf"));
            var until = Earliest(Time(credential, "validUntil"), Epoch(payload, "exp"));
            if (from is { } f && now < f)
            {
                return Result(CredentialVerification.NotYetValid, $"The credential is valid only from {f:yyyy-MM-ddTHH:mm:ssZ}.");
            }
            if (until is { } u && now >= u)
            {
                return Result(CredentialVerification.Expired, $"The credential expired at {u:yyyy-MM-ddTHH:mm:ssZ}.");
            }
        }
        catch (JoseException ex)
        {
            return Result(ex.Code, ex.Message);
        }
        return Result(CredentialVerification.Verified, $"Signed by {jws.Kid ?? "a trusted key"} ({jws.Algorithm}) and within its validity period.");
    }

    private static bool IsCredential(JsonObject credential, bool shc)
    {
        var types = credential["type"] switch
        {
            JsonArray a => a.Select(t => t?.ToString()).ToList(),
            JsonValue v => [v.ToString()],
            _ => [],
        };
        if (shc)
        {
            return types.Contains("VerifiableCredential") || types.Any(t => t?.StartsWith("https://smarthealth.cards#", StringComparison.Ordinal) == true);
        }
        return types.Contains("VerifiableCredential") && credential["@context"] is JsonArray { Count: > 0 } context && context[0]?.ToString() == CredentialIssuer.V2Context;
    }

    private static DateTimeOffset? Time(JsonObject json, string name)
    {
        var text = json[name]?.ToString();
        if (text is null)
        {
            return null;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new JoseException(JoseException.Malformed, $"\"{name}\" is not an XML Schema dateTimeStamp: {text}");
    }

    private static DateTimeOffset? Epoch(JsonObject json, string name)
    {
        var node = json[name];
        if (node is null)
        {
            return null;
        }
        return node.GetValueKind() == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeSeconds((long)node.GetValue<double>())
            : throw new JoseException(JoseException.Malformed, $"\"{name}\" is not a NumericDate.");
    }

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
