namespace CareLedger.Core.Jose;

/// <summary>
/// A token or key that cannot be used, with a stable <see cref="Code"/>: <c>jose.malformed</c> for input that is
/// not a well-formed JWS or JWK, <c>jose.unsupported</c> for an algorithm or key type this verifier does not take.
/// </summary>
public sealed class JoseException(string code, string message) : FormatException(message)
{
    public const string Malformed = "jose.malformed";
    public const string Unsupported = "jose.unsupported";

    public string Code { get; } = code;
}
