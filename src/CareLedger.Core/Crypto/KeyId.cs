namespace CareLedger.Core.Crypto;

/// <summary>Identifies a public key: SHA-256 of its DER SubjectPublicKeyInfo.</summary>
public readonly record struct KeyId(Hash Value)
{
    /// <summary>The key id of a DER-encoded SubjectPublicKeyInfo.</summary>
    public static KeyId Of(ReadOnlySpan<byte> subjectPublicKeyInfo) => new(Hash.Compute(subjectPublicKeyInfo));

    /// <summary>Parses 64 hex digits.</summary>
    public static KeyId Parse(string hex) => new(Hash.Parse(hex));

    /// <summary>Parses 64 hex digits without throwing.</summary>
    public static bool TryParse(string? hex, out KeyId keyId)
    {
        var ok = Hash.TryParse(hex, out var hash);
        keyId = new KeyId(hash);
        return ok;
    }

    public override string ToString() => Value.ToString();
}
