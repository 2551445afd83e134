using System.Security.Cryptography;

namespace CareLedger.Core.Crypto;

/// <summary>An ES256 (ECDSA P-256, SHA-256) private key. Signatures are normalised to low S.</summary>
public sealed class SigningKey : IDisposable
{
    private readonly ECDsa _ecdsa;
    private readonly Lock _gate = new();

    private SigningKey(ECDsa ecdsa)
    {
        _ecdsa = ecdsa;
        PublicKey = PublicKey.FromSubjectPublicKeyInfo(ecdsa.ExportSubjectPublicKeyInfo());
    }

    /// <summary>The matching public key.</summary>
    public PublicKey PublicKey { get; }

    /// <summary>The key id of the public key.</summary>
    public KeyId Id => PublicKey.Id;

    /// <summary>Creates a fresh random P-256 key.</summary>
    public static SigningKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>
    /// Reads a PEM private key (PKCS#8, EC or encrypted PKCS#8 when a passphrase is given).
    /// Throws <see cref="FormatException"/> when it is not a P-256 key or the passphrase is wrong.
    /// </summary>
    public static SigningKey FromPem(string pem, string? passphrase = null)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            if (pem.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal))
            {
                if (passphrase is null)
                {
                    throw new FormatException("The key file is encrypted: give its passphrase.");
                }
                ecdsa.ImportFromEncryptedPem(pem, passphrase);
            }
            else
            {
                ecdsa.ImportFromPem(pem);
            }
            if (ecdsa.KeySize != 256)
            {
                throw new FormatException("Only P-256 keys are accepted.");
            }
            return new SigningKey(ecdsa);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            ecdsa.Dispose();
            throw new FormatException("Not a readable P-256 private key (or a wrong passphrase).", ex);
        }
    }

    /// <summary>PEM of the private key: PKCS#8, encrypted with AES-256-CBC/PBKDF2 when a passphrase is given.</summary>
    public string ExportPem(string? passphrase = null)
    {
        if (passphrase is null)
        {
            return _ecdsa.ExportPkcs8PrivateKeyPem();
        }
        var pbe = new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 600_000);
        return _ecdsa.ExportEncryptedPkcs8PrivateKeyPem(passphrase, pbe);
    }

    /// <summary>The private key, for COSE signing inside Core.</summary>
    internal ECDsa Ecdsa => _ecdsa;

    /// <summary>Signs SHA-256(<paramref name="data"/>) and returns a low-S P1363 signature.</summary>
    public Signature Sign(ReadOnlySpan<byte> data)
    {
        Span<byte> buffer = stackalloc byte[Signature.Size];
        lock (_gate)
        {
            _ecdsa.SignData(data, buffer, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        PublicKey.NormalizeS(buffer);
        return Signature.FromBytes(buffer);
    }

    /// <summary>Signs SHA-256(<paramref name="data"/>) and returns a DER (RFC 3279) signature, the form signed notes use.</summary>
    public byte[] SignDer(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            return _ecdsa.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
    }

    /// <summary>
    /// The same P-256 key for ECDH, so the holder opens what was sealed to their ledger key (<see cref="Hpke"/>). One key serving
    /// ES256 and ECDH is a deliberate choice (docs/adr/0009-one-ledger-key-signs-and-decrypts.md).
    /// </summary>
    public ECDiffieHellman ToKeyAgreement()
    {
        lock (_gate)
        {
            return ECDiffieHellman.Create(_ecdsa.ExportParameters(includePrivateParameters: true));
        }
    }

    public void Dispose()
    {
        _ecdsa.Dispose();
        PublicKey.Dispose();
    }
}
