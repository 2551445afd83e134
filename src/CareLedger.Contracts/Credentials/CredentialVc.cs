using System.Globalization;
using System.Text.Json.Nodes;
using CareLedger.Core.Crypto;
using CareLedger.Core.Jose;

namespace CareLedger.Contracts.Credentials;

/// <summary>
/// A ledger credential as a W3C Verifiable Credential 2.0 secured with JOSE (VC-JOSE-COSE): the credential JSON
/// is the payload of a compact JWS (<c>typ: vc+jwt</c>, <c>cty: vc</c>) signed ES256 by one of the issuer's ledger
/// keys and naming it by its ledger key id, so anyone checks it against the issuer's JWKS.
/// </summary>
public static class CredentialVc
{
    /// <summary>The credential document for <paramref name="credential"/> on chain <paramref name="chain"/>.</summary>
    public static JsonObject Document(string chain, CredentialRecord credential)
    {
        var subject = new JsonObject
        {
            ["id"] = Urn(chain, credential.Subject),
            ["credentialKind"] = credential.Kind,
            ["profession"] = credential.Profession,
            ["jurisdiction"] = credential.Jurisdiction,
            ["number"] = credential.Number,
        };
        if (credential.Specialty is not null)
        {
            subject["specialty"] = credential.Specialty;
        }
        return new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2"),
            ["id"] = Urn(chain, credential.Id),
            ["type"] = new JsonArray("VerifiableCredential", "HealthcarePractitionerCredential"),
            ["issuer"] = Urn(chain, credential.Issuer),
            ["validFrom"] = Time(credential.ValidFrom),
            ["validUntil"] = Time(credential.ValidUntil),
            ["credentialSubject"] = subject,
        };
    }

    /// <summary>The VC-JOSE compact JWS of <paramref name="credential"/>, signed by <paramref name="issuerKey"/>.</summary>
    public static string Sign(string chain, CredentialRecord credential, SigningKey issuerKey) =>
        CompactJws.Sign(new JsonObject { ["typ"] = "vc+jwt", ["cty"] = "vc" },
            System.Text.Encoding.UTF8.GetBytes(Document(chain, credential).ToJsonString()), issuerKey);

    private static string Urn(string chain, string id) => $"urn:careledger:{chain}:{id}";

    private static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
