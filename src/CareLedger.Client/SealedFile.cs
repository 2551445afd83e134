using System.Text;
using CareLedger.Core.Crypto;

namespace CareLedger.Client;

/// <summary>
/// A file sealed to its recipient's ledger key with HPKE (RFC 9180, <see cref="Hpke.Suite"/>): what a genomic download returns. The
/// <paramref name="Info"/> names the purpose and the additional data is the grant, so a sealed file opens only for that grant.
/// </summary>
public sealed record SealedFile(string Suite, string RecipientKey, string Info, string Grant, string MediaType, string Enc, string Ciphertext)
{
    /// <summary>The HPKE info of genomic downloads.</summary>
    public const string GenomicsInfo = "careledger-genomics-download-v1";

    /// <summary>Seals <paramref name="content"/> to <paramref name="recipient"/> (a base64 SubjectPublicKeyInfo of key <paramref name="recipientKey"/>).</summary>
    public static SealedFile Seal(string recipientKey, string recipient, string grant, string mediaType, byte[] content)
    {
        var (enc, ciphertext) = Hpke.Seal(Convert.FromBase64String(recipient), Encoding.UTF8.GetBytes(GenomicsInfo), Encoding.UTF8.GetBytes(grant), content);
        return new SealedFile(Hpke.Suite, recipientKey, GenomicsInfo, grant, mediaType, Convert.ToBase64String(enc), Convert.ToBase64String(ciphertext));
    }

    /// <summary>The plaintext, for the holder of the recipient key; <see cref="System.Security.Cryptography.CryptographicException"/> for anyone else.</summary>
    public byte[] Open(SigningKey key)
    {
        using var agreement = key.ToKeyAgreement();
        return Hpke.Open(agreement, Convert.FromBase64String(Enc), Encoding.UTF8.GetBytes(Info), Encoding.UTF8.GetBytes(Grant), Convert.FromBase64String(Ciphertext));
    }
}
