using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CareLedger.Core.Crypto;

/// <summary>
/// X.509 for a consortium node's ledger key (docs/adr/0012-raft-peers-are-ledger-validators.md): the PKCS#10 request that
/// <c>network join</c> hands to governance (it proves the node holds the key and names the hosts it answers on), and the
/// certificate the node presents on its Raft port, self-signed by that key and carrying the same hosts as subject
/// alternative names. Who may hold a Raft connection is decided by the key, against the ledger's validators; the hosts are
/// for people and outside tools that look at the certificate.
/// </summary>
public static class NodeCertificate
{
    /// <summary>A PKCS#10 signing request (DER) for <paramref name="key"/>, naming <paramref name="hosts"/> (IP literals or DNS names).</summary>
    public static byte[] CreateSigningRequest(SigningKey key, string name, IEnumerable<string> hosts) =>
        Request(key, name, hosts).CreateSigningRequest();

    /// <summary>A certificate for <paramref name="key"/> signed by itself, valid a year from now, with its private key.</summary>
    public static X509Certificate2 CreateSelfSigned(SigningKey key, string name, IEnumerable<string> hosts, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        using var issued = Request(key, name, hosts).CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
        // A copy that owns its key, independent of the SigningKey's lifetime.
        return X509CertificateLoader.LoadPkcs12(issued.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>
    /// The key and hosts of a PKCS#10 request whose signature verifies with the key it carries; <see cref="FormatException"/>
    /// for anything else (not DER, not P-256, a bad signature).
    /// </summary>
    public static (PublicKey Key, IReadOnlyList<string> Hosts) ReadSigningRequest(ReadOnlySpan<byte> der)
    {
        CertificateRequest request;
        try
        {
            request = CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, out var read, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
            if (read != der.Length)
            {
                throw new FormatException("The signing request has bytes after its end.");
            }
        }
        catch (CryptographicException ex)
        {
            throw new FormatException($"Not a signing request whose signature verifies: {ex.Message}", ex);
        }
        var key = PublicKeyOf(request.PublicKey);
        var hosts = request.CertificateExtensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(san => san.EnumerateIPAddresses().Select(ip => ip.ToString()).Concat(san.EnumerateDnsNames()))
            .ToList();
        return (key, hosts);
    }

    /// <summary>The ledger public key a certificate carries; <see cref="FormatException"/> when it is not a P-256 key.</summary>
    public static PublicKey PublicKeyOf(X509Certificate2 certificate) => PublicKeyOf(certificate.PublicKey);

    private static PublicKey PublicKeyOf(System.Security.Cryptography.X509Certificates.PublicKey key)
    {
        try
        {
            return PublicKey.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo());
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new FormatException("The certificate's key is not a P-256 ledger key.", ex);
        }
    }

    private static CertificateRequest Request(SigningKey key, string name, IEnumerable<string> hosts)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(name);
        subject.AddOrganizationalUnitName($"CareLedger node {key.Id}");
        var request = new CertificateRequest(subject.Build(), key.Ecdsa, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(host, out var ip))
            {
                san.AddIpAddress(ip);
            }
            else
            {
                san.AddDnsName(host);
            }
        }
        request.CertificateExtensions.Add(san.Build());
        return request;
    }
}
