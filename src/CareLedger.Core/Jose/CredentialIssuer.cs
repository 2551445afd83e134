using System.Globalization;
using System.Text.Json.Nodes;
using CareLedger.Core.Crypto;

namespace CareLedger.Core.Jose;

/// <summary>
/// Secures a W3C Verifiable Credential 2.0 with JOSE (VC-JOSE-COSE): the credential JSON is the payload of a compact
/// JWS (<c>typ: vc+jwt</c>, <c>cty: vc</c>) signed ES256 by a ledger key and naming it by its ledger key id.
/// </summary>
public static class CredentialIssuer
{
    public const string V2Context = "https://www.w3.org/ns/credentials/v2";

    public static string Sign(JsonObject credential, SigningKey key) =>
        CompactJws.Sign(new JsonObject { ["typ"] = "vc+jwt", ["cty"] = "vc" }, System.Text.Encoding.UTF8.GetBytes(credential.ToJsonString()), key);

    /// <summary>A ledger time (ms) as the XML Schema dateTimeStamp a credential's validFrom/validUntil hold.</summary>
    public static string Timestamp(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
