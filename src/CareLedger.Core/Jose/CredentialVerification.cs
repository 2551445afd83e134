using System.Text.Json.Nodes;

namespace CareLedger.Core.Jose;

/// <summary>
/// The outcome of checking a credential token: <see cref="Code"/> is <c>vc.verified</c> or the reason it failed,
/// <see cref="Format"/> is <c>vc-jose</c> (W3C VC 2.0 secured with JOSE) or <c>smart-health-card</c>, and
/// <see cref="Credential"/> the decoded credential whenever the token could be decoded (even if it failed).
/// </summary>
public sealed record CredentialVerification(string Code, string Message, string? Format, JsonObject? Credential, string? Issuer, string? Kid)
{
    public const string Verified = "vc.verified";
    public const string BadSignature = "vc.bad_signature";
    public const string UnknownKey = "vc.unknown_key";
    public const string NotYetValid = "vc.not_yet_valid";
    public const string Expired = "vc.expired";
    public const string NotACredential = "vc.not_a_credential";
    public const string Revoked = "vc.revoked";
    public const string Suspended = "vc.suspended";
    public const string StatusUnknown = "vc.status_unknown";
    public const string WrongType = "vc.wrong_type";
    public const string NotAHealthCard = "vc.not_a_health_card";

    public bool Valid => Code == Verified;

    /// <summary>True when the token itself was unreadable (as opposed to readable but not trustworthy).</summary>
    public bool Malformed => Code is JoseException.Malformed or NotACredential or WrongType or NotAHealthCard;
}
