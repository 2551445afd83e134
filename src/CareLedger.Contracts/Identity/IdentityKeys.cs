using CareLedger.Core.Crypto;

namespace CareLedger.Contracts.Identity;

/// <summary>State keys of the identity contract.</summary>
public static class IdentityKeys
{
    public const string Governance = "identity/governance";

    public static string Organisation(string id) => $"identity/org/{id}";

    public static string Key(KeyId id) => $"identity/key/{id}";

    public static string Member(string id) => $"identity/member/{id}";

    public static string Patient(string id) => $"identity/patient/{id}";

    public static string Proposal(string id) => $"identity/proposal/{id}";

    /// <summary>A patient's pending key recovery (<see cref="KeyRecovery"/>).</summary>
    public static string Recovery(string patient) => $"identity/recovery/{patient}";

    /// <summary>A patient's pseudonym derives from their key, so it carries nothing about them.</summary>
    public static string PatientIdFor(KeyId key) => "patient:" + key.ToString()[..32];
}
