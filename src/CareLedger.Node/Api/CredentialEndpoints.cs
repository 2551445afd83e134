using System.Text.Json.Nodes;
using CareLedger.Contracts;
using CareLedger.Contracts.Credentials;
using CareLedger.Contracts.Identity;
using CareLedger.Core.Crypto;
using CareLedger.Core.Jose;

namespace CareLedger.Node.Api;

/// <summary>
/// Practitioners' credentials for anyone signed in (licence lookups are public registers), the public keys that
/// check exported credentials, and verification of credentials presented from elsewhere.
/// </summary>
internal static class CredentialEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/credentials/{id}", (string id, LedgerNode node) =>
                StateJson.Read<CredentialRecord>(node.Engine.State.Get(CredentialKeys.Credential(id))) is { } c ? Results.Ok(c) : Problems.NotFound($"Credential {id}"))
            .WithSummary("A credential with its full history").Produces<CredentialRecord>();
        api.MapGet("/credentials/{id}/status", (string id, LedgerNode node) =>
                StateJson.Read<CredentialRecord>(node.Engine.State.Get(CredentialKeys.Credential(id))) is { } c
                    ? Results.Ok(new CredentialStatusView(c.Id, c.Issuer, CredentialStatus.Index(node.Engine.State, c), c.StandingAt(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())))
                    : Problems.NotFound($"Credential {id}"))
            .WithSummary("A credential's index in its issuer's status lists and its standing now").Produces<CredentialStatusView>();
        api.MapGet("/credentials/status-lists/{issuer}", (string issuer, string? purpose, LedgerNode node, TimeProvider clock) =>
                !CredentialStatus.Purposes.Contains(purpose ?? "revocation")
                    ? Problems.Of(CredentialErrors.BadCredential, "purpose is revocation or suspension.")
                    : Results.Ok(CredentialStatus.ListDocument(node.Engine.Chain, node.Engine.State, issuer, purpose ?? "revocation", clock.GetUtcNow().ToUnixTimeMilliseconds())))
            .WithSummary("The issuer's W3C Bitstring Status List credential as of now, unsigned (careledger vc status-list signs it with the issuer's key)");
        api.MapGet("/practitioners/{member}", Practitioner)
            .WithSummary("A practitioner's qualifications and attested experience, as patients see them").Produces<PractitionerView>();
        api.MapGet("/practitioners/{member}/licensed", Licensed)
            .WithSummary("Is this practitioner licensed for a profession or specialty (in a jurisdiction) at an instant (?at=) or throughout a UTC day (?date=)?")
            .Produces<LicenceCheck>();
        api.MapPost("/credentials/verify", Verify)
            .WithSummary("Verify a VC-JOSE credential or SMART Health Card against the given JWKS").Produces<CredentialVerification>();
    }

    /// <summary>Unauthenticated: the JWKS of an organisation's or member's active ledger key, for checking what it signed.</summary>
    public static void MapKeys(RouteGroupBuilder open) =>
        open.MapGet("/keys/{kid}/jwks", (string kid, LedgerNode node) =>
            {
                if (!KeyId.TryParse(kid, out var id)
                    || StateJson.Read<KeyRecord>(node.Engine.State.Get(IdentityKeys.Key(id))) is not { Status: "active", OwnerKind: "organisation" or "member" } key)
                {
                    return Problems.NotFound($"Active organisation or member key {kid}");
                }
                using var publicKey = PublicKey.FromSubjectPublicKeyInfo(Convert.FromBase64String(key.PublicKey));
                var jwk = JsonWebKey.ToJwk(publicKey);
                jwk["owner"] = key.Owner;
                jwk["organisation"] = key.Organisation;
                return Results.Text(new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString(), "application/jwk-set+json");
            })
            .WithSummary("The JWK Set of an active organisation or member key (ES256), by its ledger key id");

    private static IResult Practitioner(string member, LedgerNode node)
    {
        var state = node.Engine.State;
        if (StateJson.Read<MemberRecord>(state.Get(IdentityKeys.Member(member))) is not { } record)
        {
            return Problems.NotFound($"Practitioner {member}");
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var employment = CredentialsContract.Employment(state, member);
        var experienceDays = employment.Sum(p => Math.Max(0, Math.Min(p.Until ?? now, now) - p.From)) / 86_400_000;
        return Results.Ok(new PractitionerView(member, record.Organisation, record.Status,
            Licensing.Of(state, member).Select(c => new QualificationView(c.Id, c.Kind, c.Profession, c.Specialty, c.Jurisdiction, c.Issuer, c.StandingAt(now), c.ValidUntil)).ToList(),
            employment, experienceDays / 365.25));
    }

    // ?at= is an instant; ?date= a UTC day (licensed throughout it) or, given with a time, an instant; neither: now.
    private static IResult Licensed(string member, string? @for, string? jurisdiction, string? date, DateTimeOffset? at, LedgerNode node, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(@for))
        {
            return Problems.Of(CredentialErrors.BadCredential, "Say what for: ?for=physician (a profession) or a specialty, optionally &jurisdiction=US-MA&date=2027-01-31.");
        }
        var state = node.Engine.State;
        if (date is not null && DateOnly.TryParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
            return Results.Ok(Licensing.IsLicensedThroughout(state, member, @for, jurisdiction, start, start + 86_400_000));
        }
        var instant = clock.GetUtcNow();
        if (date is not null && !DateTimeOffset.TryParse(date, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out instant))
        {
            return Problems.Of(CredentialErrors.BadCredential, "date is a day (2027-01-31) or an instant (2027-01-31T09:30:00Z).");
        }
        var when = at ?? instant;
        return Results.Ok(Licensing.IsLicensedFor(state, member, @for, jurisdiction, when.ToUnixTimeMilliseconds()));
    }

    private static IResult Verify(VerifyCredentialRequest request)
    {
        IReadOnlyList<JsonWebKey> keys;
        try
        {
            keys = JsonWebKey.ParseSet(request.Jwks.ToJsonString());
        }
        catch (JoseException ex)
        {
            return Problems.Of(ex.Code, ex.Message);
        }
        var result = CredentialVerifier.Verify(request.Token, keys, request.At ?? DateTimeOffset.UtcNow);
        return result.Malformed ? Problems.Of(result.Code, result.Message) : Results.Ok(result);
    }

    /// <summary>A credential to check (<c>token</c>, compact JWS), the trusted keys (a JWK Set) and, optionally, the time to check at.</summary>
    internal sealed record VerifyCredentialRequest(string Token, JsonObject Jwks, DateTimeOffset? At);

    internal sealed record CredentialStatusView(string Credential, string Issuer, int? Index, string Standing);

    internal sealed record PractitionerView(string Member, string Organisation, string Status, IReadOnlyList<QualificationView> Qualifications,
        IReadOnlyList<EmploymentRecord> Employment, double YearsOfExperience);

    internal sealed record QualificationView(string Credential, string Kind, string Profession, string? Specialty, string Jurisdiction, string Issuer,
        string Standing, long ValidUntil);
}
