using System.Text;
using CareLedger.Core.Crypto;

namespace CareLedger.Contracts.Trials;

/// <summary>
/// What a subject's trial key signs (ES256): the electronic consent (<c>careledger-trial-consent|trial|consentHash</c>) and a
/// withdrawal (<c>careledger-trial-withdraw|trial|subject</c>). The prefixes keep one kind of signature from passing for the other.
/// </summary>
public static class SubjectSignatures
{
    public static byte[] Consent(string trial, string consentHash) => Encoding.UTF8.GetBytes($"careledger-trial-consent|{trial}|{consentHash}");

    public static byte[] Withdrawal(string trial, string subject) => Encoding.UTF8.GetBytes($"careledger-trial-withdraw|{trial}|{subject}");

    /// <summary>The trial pseudonym of a subject key: <c>subject:</c> and the first 32 hex digits of its key id.</summary>
    public static string Pseudonym(KeyId key) => "subject:" + key.ToString()[..32];
}
