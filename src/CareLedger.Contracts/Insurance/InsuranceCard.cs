using System.Text.Json.Nodes;
using CareLedger.Contracts.Identity;
using CareLedger.Core.Crypto;
using CareLedger.Core.Jose;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.Insurance;

/// <summary>
/// The digital insurance card: a W3C Verifiable Credential (VC-JOSE compact JWS, ES256) the insurer signs with its
/// ledger key, naming the policy, plan, member id and the patient's pseudonym (nothing else about them) and valid
/// for the policy's period. The patient shows it; anyone checks it with <c>careledger vc verify</c> against the
/// insurer's key (<c>/api/v1/keys/{kid}/jwks</c>) and the policy on the ledger.
/// </summary>
public static class InsuranceCard
{
    public static JsonObject Document(string chain, PolicyRecord policy) => new()
    {
        ["@context"] = new JsonArray(CredentialIssuer.V2Context),
        ["id"] = $"urn:careledger:{chain}:{policy.Id}:card",
        ["type"] = new JsonArray("VerifiableCredential", "HealthInsuranceCardCredential"),
        ["issuer"] = $"urn:careledger:{chain}:{policy.Insurer}",
        ["validFrom"] = CredentialIssuer.Timestamp(policy.Start),
        ["validUntil"] = CredentialIssuer.Timestamp(policy.End),
        ["credentialSubject"] = new JsonObject
        {
            ["id"] = $"urn:careledger:{chain}:{policy.Patient}",
            ["policy"] = policy.Id,
            ["plan"] = policy.Plan,
            ["memberId"] = policy.MemberId,
        },
    };

    /// <summary>The card for <paramref name="policy"/>, signed by one of the insurer's keys.</summary>
    public static string Sign(string chain, PolicyRecord policy, SigningKey insurerKey) => CredentialIssuer.Sign(Document(chain, policy), insurerKey);

    /// <summary>Null when <paramref name="card"/> is this policy's card signed by <paramref name="signer"/> (an active key); otherwise why not.</summary>
    public static string? Check(string card, PolicyRecord policy, string chain, IStateReader state, KeyId signer)
    {
        CompactJws jws;
        try
        {
            jws = CompactJws.Parse(card);
        }
        catch (JoseException ex)
        {
            return ex.Message;
        }
        if (jws.Kid != signer.ToString() || StateJson.Read<KeyRecord>(state.Get(IdentityKeys.Key(signer))) is not { Status: "active" } key)
        {
            return "The card is signed by the key that signs the enrolment.";
        }
        using var publicKey = PublicKey.FromSubjectPublicKeyInfo(Convert.FromBase64String(key.PublicKey));
        if (jws.Algorithm != "ES256" || !publicKey.Verify(jws.SigningInput, jws.Signature))
        {
            return "The card's signature does not verify.";
        }
        try
        {
            return JsonNode.DeepEquals(JsonNode.Parse(jws.Payload), Document(chain, policy)) ? null : "The card does not describe this policy.";
        }
        catch (System.Text.Json.JsonException)
        {
            return "The card's payload is not JSON.";
        }
    }
}
