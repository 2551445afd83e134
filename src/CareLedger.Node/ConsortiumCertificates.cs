using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CareLedger.Node;

/// <summary>
/// The consortium's own small PKI for Raft TLS: a CA the founding members share, and one certificate per
/// node (P-256, the node's Raft IP address as subject alternative name). BCL only.
/// </summary>
public static class ConsortiumCertificates
{
    /// <summary>A self-signed CA certificate with its private key, valid five years.</summary>
    public static X509Certificate2 CreateAuthority(string chain, TimeProvider clock)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=CareLedger consortium CA {chain}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = clock.GetUtcNow();
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(5));
    }

    /// <summary>A node certificate signed by <paramref name="authority"/>, as PKCS#12 bytes (no password), valid two years.</summary>
    public static byte[] IssueNode(X509Certificate2 authority, string name, IPAddress address, TimeProvider clock)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=CareLedger node {name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(address);
        san.AddDnsName("careledger-raft");
        request.CertificateExtensions.Add(san.Build());
        var now = clock.GetUtcNow();
        var serial = RandomNumberGenerator.GetBytes(16);
        using var issued = request.Create(authority, now.AddMinutes(-5), now.AddYears(2), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        return withKey.Export(X509ContentType.Pkcs12);
    }
}
