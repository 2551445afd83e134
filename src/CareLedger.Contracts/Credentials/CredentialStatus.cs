using System.Text.Json.Nodes;
using CareLedger.Core.Jose;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.Credentials;

/// <summary>
/// Credential status as W3C Bitstring Status Lists: each issuer publishes two lists, <c>revocation</c> and <c>suspension</c>, in which a
/// credential's bit (at its position among the issuer's credentials, <see cref="CredentialKeys.IssuedBy"/>) is set while it is revoked
/// or suspended. An exported credential names both entries; a verifier given the issuer's signed lists sees a later revocation.
/// </summary>
public static class CredentialStatus
{
    public static readonly IReadOnlyList<string> Purposes = ["revocation", "suspension"];

    /// <summary>The credential's index in its issuer's lists, or null for one issued before lists existed.</summary>
    public static int? Index(IStateReader state, CredentialRecord credential) =>
        StateJson.ReadIds(state, CredentialKeys.IssuedBy(credential.Issuer)).IndexOf(credential.Id) is var i and >= 0 ? i : null;

    /// <summary>The id of an issuer's list for <paramref name="purpose"/>.</summary>
    public static string ListId(string chain, string issuer, string purpose) => $"urn:careledger:{chain}:status:{issuer}:{purpose}";

    /// <summary>The <c>credentialStatus</c> entries of a credential at <paramref name="index"/>.</summary>
    public static JsonArray Entries(string chain, string issuer, int index) =>
        new([.. Purposes.Select(purpose => (JsonNode)new JsonObject
        {
            ["id"] = $"{ListId(chain, issuer, purpose)}#{index}",
            ["type"] = "BitstringStatusListEntry",
            ["statusPurpose"] = purpose,
            ["statusListIndex"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["statusListCredential"] = ListId(chain, issuer, purpose),
        })]);

    /// <summary>The issuer's status list credential for <paramref name="purpose"/> at <paramref name="time"/> (unsigned: the issuer signs it).</summary>
    public static JsonObject ListDocument(string chain, IStateReader state, string issuer, string purpose, long time)
    {
        var issued = StateJson.ReadIds(state, CredentialKeys.IssuedBy(issuer));
        var set = issued
            .Select((id, i) => (Record: StateJson.Read<CredentialRecord>(state.Get(CredentialKeys.Credential(id)))!, Index: i))
            .Where(c => c.Record.StandingAt(time) == (purpose == "revocation" ? "revoked" : "suspended"))
            .Select(c => c.Index);
        var id = ListId(chain, issuer, purpose);
        return new JsonObject
        {
            ["@context"] = new JsonArray(CredentialIssuer.V2Context),
            ["id"] = id,
            ["type"] = new JsonArray("VerifiableCredential", "BitstringStatusListCredential"),
            ["issuer"] = $"urn:careledger:{chain}:{issuer}",
            ["validFrom"] = CredentialIssuer.Timestamp(time),
            ["credentialSubject"] = new JsonObject
            {
                ["id"] = id + "#list",
                ["type"] = "BitstringStatusList",
                ["statusPurpose"] = purpose,
                ["encodedList"] = BitstringStatusList.Encode(set, issued.Count),
            },
        };
    }
}
