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
    /// <summary>
    /// The credential document for <paramref name="credential"/> on chain <paramref name="chain"/>; with its status list index, it names
    /// its entries in the issuer's revocation and suspension lists (<see cref="CredentialStatus"/>).
    /// </summary>
    public static JsonObject Document(string chain, CredentialRecord credential, int? statusIndex = null)
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
        var document = new JsonObject
        {
            ["@context"] = new JsonArray(CredentialIssuer.V2Context),
            ["id"] = Urn(chain, credential.Id),
            ["type"] = new JsonArray("VerifiableCredential", "HealthcarePractitionerCredential"),
            ["issuer"] = Urn(chain, credential.Issuer),
            ["validFrom"] = CredentialIssuer.Timestamp(credential.ValidFrom),
            ["validUntil"] = CredentialIssuer.Timestamp(credential.ValidUntil),
            ["credentialSubject"] = subject,
        };
        if (statusIndex is { } index)
        {
            document["credentialStatus"] = CredentialStatus.Entries(chain, credential.Issuer, index);
        }
        return document;
    }

    /// <summary>The VC-JOSE compact JWS of <paramref name="credential"/>, signed by <paramref name="issuerKey"/>.</summary>
    public static string Sign(string chain, CredentialRecord credential, SigningKey issuerKey, int? statusIndex = null) =>
        CredentialIssuer.Sign(Document(chain, credential, statusIndex), issuerKey);

    private static string Urn(string chain, string id) => $"urn:careledger:{chain}:{id}";
}
