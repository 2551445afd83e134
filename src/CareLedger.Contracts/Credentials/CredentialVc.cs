using System.Text.Json.Nodes;
using CareLedger.Core.Crypto;
using CareLedger.Core.Jose;

namespace CareLedger.Contracts.Credentials;

/// <summary>
/// A ledger credential as a W3C Verifiable Credential 2.0, secured with JOSE by one of the issuer's ledger keys
/// (<see cref="CredentialIssuer"/>), so anyone checks it against the issuer's JWKS.
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
            ["@context"] = new JsonArray(CredentialIssuer.V2Context),
            ["id"] = Urn(chain, credential.Id),
            ["type"] = new JsonArray("VerifiableCredential", "HealthcarePractitionerCredential"),
            ["issuer"] = Urn(chain, credential.Issuer),
            ["validFrom"] = CredentialIssuer.Timestamp(credential.ValidFrom),
            ["validUntil"] = CredentialIssuer.Timestamp(credential.ValidUntil),
            ["credentialSubject"] = subject,
        };
    }

    /// <summary>The VC-JOSE compact JWS of <paramref name="credential"/>, signed by <paramref name="issuerKey"/>.</summary>
    public static string Sign(string chain, CredentialRecord credential, SigningKey issuerKey) => CredentialIssuer.Sign(Document(chain, credential), issuerKey);

    private static string Urn(string chain, string id) => $"urn:careledger:{chain}:{id}";
}
