using System.Text.RegularExpressions;

namespace CareLedger.Contracts;

/// <summary>
/// Pseudonymous identifiers: a lowercase prefix, a colon, and up to 64 of [a-z0-9._-]. No spaces or
/// capitals, so a name or a date of birth does not fit by accident.
/// </summary>
public static partial class Identifiers
{
    [GeneratedRegex("^[a-z]+:[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex Pattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex HexHash();

    /// <summary>True when <paramref name="id"/> is well formed and starts with <paramref name="prefix"/>:.</summary>
    public static bool IsValid(string id, string prefix) => Pattern().IsMatch(id) && id.StartsWith(prefix + ":", StringComparison.Ordinal);

    /// <summary>True for 64 lowercase hex digits.</summary>
    public static bool IsHexHash(string value) => HexHash().IsMatch(value);
}
