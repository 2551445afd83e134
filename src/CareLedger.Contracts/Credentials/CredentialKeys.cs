namespace CareLedger.Contracts.Credentials;

/// <summary>State keys of the credentials contract.</summary>
public static class CredentialKeys
{
    public static string Credential(string id) => $"cred/credential/{id}";

    /// <summary>The ids of a practitioner's credentials, oldest first.</summary>
    public static string Of(string member) => $"cred/of/{member}";

    /// <summary>The ids of an issuer's credentials in the order issued: a credential's position is its status list index.</summary>
    public static string IssuedBy(string issuer) => $"cred/issued-by/{issuer}";

    /// <summary>A practitioner's attested employment periods.</summary>
    public static string Employment(string member) => $"cred/employment/{member}";
}
