using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CareLedger.Core.Jose;

/// <summary>
/// Verifies credentials presented from elsewhere against trusted keys: W3C Verifiable Credentials 2.0 secured
/// with JOSE (VC-JOSE-COSE: the JWS payload is the credential, validity in <c>validFrom</c>/<c>validUntil</c>)
/// and SMART Health Cards (DEFLATE-compressed JWS whose payload carries <c>iss</c>, <c>nbf</c> and a <c>vc</c>
/// claim). JWT <c>nbf</c>/<c>exp</c> are honoured in both. Signatures: ES256, ES384, ES512, EdDSA (Ed25519). Given the issuer's
/// W3C Bitstring Status List credentials, a credential's <c>credentialStatus</c> entries are checked too.
/// <para>
/// Explicit typing (RFC 8725 §3.11): a VC-JOSE token's <c>typ</c>, when present, is <c>vc+jwt</c> (or the 2023 drafts'
/// <c>vc+ld+jwt</c>), so a presentation (<c>vp+jwt</c>) or any other JWT is not taken for a credential. A SMART Health Card
/// follows the SMART Health Cards framework: ES256 only, <c>iss</c> and <c>nbf</c> present, <c>vc.type</c> holding
/// <c>https://smarthealth.cards#health-card</c>, and <c>kid</c> the RFC 7638 thumbprint of the key that signed it.
/// Times in messages are UTC instants.
/// </para>
/// </summary>
public static class CredentialVerifier
{
    public const string VcJose = "vc-jose";
    public const string SmartHealthCard = "smart-health-card";

    public static CredentialVerification Verify(string token, IReadOnlyList<JsonWebKey> trusted, DateTimeOffset now, IReadOnlyList<string>? statusLists = null)
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
        var typ = jws.Header["typ"]?.ToString();
        if (shc ? typ is not (null or "JWT") : typ is not (null or "vc+jwt" or "vc+ld+jwt"))
        {
            return new CredentialVerification(CredentialVerification.WrongType,
                $"The token's typ is {typ}, not a credential's ({(shc ? "none or JWT for a SMART Health Card" : "vc+jwt")}).", format, payload, null, jws.Kid);
        }
        if (!IsCredential(credential, shc))
        {
            return new CredentialVerification(CredentialVerification.NotACredential,
                shc ? "The \"vc\" claim's \"type\" does not include https://smarthealth.cards#health-card."
                    : $"The payload is not a W3C Verifiable Credential 2.0 (\"@context\" starting with {CredentialIssuer.V2Context} and \"type\" including VerifiableCredential).",
                format, payload, null, jws.Kid);
        }
        var issuer = shc ? payload["iss"]?.ToString() : credential["issuer"] switch { JsonObject o => o["id"]?.ToString(), var n => n?.ToString() };
        CredentialVerification Result(string code, string message) => new(code, message, format, payload, issuer, jws.Kid);

        if (shc && (jws.Algorithm != "ES256" || issuer is null || payload["nbf"] is null))
        {
            return Result(CredentialVerification.NotAHealthCard, "A SMART Health Card is signed ES256 and carries \"iss\" and \"nbf\".");
        }
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
        if (jws.SignedBy(trusted) is not { } signer)
        {
            return Result(CredentialVerification.BadSignature, "The signature does not verify: the token was altered or signed by another key.");
        }
        if (shc && jws.Kid != signer.Thumbprint())
        {
            return Result(CredentialVerification.NotAHealthCard, "A SMART Health Card's kid is the RFC 7638 thumbprint of the key that signed it.");
        }
        try
        {
            var from = Latest(Time(credential, "validFrom"), Epoch(payload, "nbf"));
            var until = Earliest(Time(credential, "validUntil"), Epoch(payload, "exp"));
            if (from is { } f && now < f)
            {
                return Result(CredentialVerification.NotYetValid, $"The credential is valid only from {f.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}.");
            }
            if (until is { } u && now >= u)
            {
                return Result(CredentialVerification.Expired, $"The credential expired at {u.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}.");
            }
        }
        catch (JoseException ex)
        {
            return Result(ex.Code, ex.Message);
        }
        if (statusLists is { Count: > 0 } && credential["credentialStatus"] is { } status)
        {
            try
            {
                if (Status(status, issuer, statusLists, trusted, now) is { } failed)
                {
                    return Result(failed.Code, failed.Message);
                }
            }
            catch (Exception ex) when (ex is JoseException or JsonException or InvalidOperationException or FormatException)
            {
                return Result(CredentialVerification.StatusUnknown, $"The status could not be checked: {ex.Message}");
            }
        }
        return Result(CredentialVerification.Verified, $"Signed by {jws.Kid ?? "a trusted key"} ({jws.Algorithm}) and within its validity period.");
    }

    // Each BitstringStatusListEntry whose list was given is checked against that list, which must be signed by a trusted key, come from
    // the same issuer and be in force; a set bit revokes or suspends. At least one entry must have been checked.
    private static (string Code, string Message)? Status(JsonNode status, string? issuer, IReadOnlyList<string> statusLists, IReadOnlyList<JsonWebKey> trusted,
        DateTimeOffset now)
    {
        var lists = statusLists.Select(CompactJws.Parse)
            .Where(l => l.SignedBy(trusted) is not null)
            .Select(l => JsonNode.Parse(l.Payload) as JsonObject)
            .OfType<JsonObject>()
            .Where(l => l["type"] is JsonArray t && t.Any(x => x?.ToString() == "BitstringStatusListCredential") && l["issuer"]?.ToString() == issuer
                && (Time(l, "validFrom") is not { } from || from <= now))
            .ToList();
        var entries = status is JsonArray array ? array.OfType<JsonObject>().ToList() : [status.AsObject()];
        var checkedAny = false;
        foreach (var entry in entries.Where(e => e["type"]?.ToString() == "BitstringStatusListEntry"))
        {
            var purpose = entry["statusPurpose"]?.ToString();
            var list = lists.FirstOrDefault(l => l["id"]?.ToString() == entry["statusListCredential"]?.ToString()
                && l["credentialSubject"]?["statusPurpose"]?.ToString() == purpose);
            if (list is null)
            {
                continue;
            }
            checkedAny = true;
            var index = int.Parse(entry["statusListIndex"]!.ToString(), NumberStyles.None, CultureInfo.InvariantCulture);
            if (BitstringStatusList.IsSet(list["credentialSubject"]!["encodedList"]!.ToString(), index))
            {
                return purpose == "suspension"
                    ? (CredentialVerification.Suspended, "The issuer's suspension list marks this credential as suspended.")
                    : (CredentialVerification.Revoked, $"The issuer's {purpose} list marks this credential.");
            }
        }
        return checkedAny ? null : (CredentialVerification.StatusUnknown, "None of the status lists given is the issuer's signed list for this credential.");
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
            return types.Contains("https://smarthealth.cards#health-card");
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
