using System.Security.Cryptography.X509Certificates;
using DotNext.Net.Security;

namespace CareLedger.Consensus.Raft;

/// <summary>
/// Mutual TLS between Raft nodes: each node presents its certificate and accepts a peer only if the peer's
/// certificate chains to the consortium's certificate authority (no other root is trusted).
/// </summary>
public sealed class RaftTls(X509Certificate2 certificate, X509Certificate2 authority)
{
    /// <summary>This node's certificate (with its private key).</summary>
    public X509Certificate2 Certificate { get; } = certificate;

    /// <summary>The consortium's CA: the only trust anchor for peers.</summary>
    public X509Certificate2 Authority { get; } = authority;

    /// <summary>Loads a PKCS#12 node certificate and a PEM CA certificate.</summary>
    public static RaftTls Load(string pfxPath, string? password, string authorityPemPath) =>
        new(X509CertificateLoader.LoadPkcs12FromFile(pfxPath, password), X509Certificate2.CreateFromPem(File.ReadAllText(authorityPemPath)));

    /// <summary>DotNext's transport options: server and client side both authenticate.</summary>
    public SslOptions Options()
    {
        var options = new SslOptions();
        options.ServerOptions.ServerCertificate = Certificate;
        options.ServerOptions.ClientCertificateRequired = true;
        options.ServerOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => IsIssuedByAuthority(cert);
        options.ClientOptions.ClientCertificates = [Certificate];
        options.ClientOptions.TargetHost = "careledger-raft";
        options.ClientOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => IsIssuedByAuthority(cert);
        return options;
    }

    /// <summary>True when <paramref name="presented"/> chains to the consortium CA (the name is not checked: peers are addressed by IP).</summary>
    public bool IsIssuedByAuthority(X509Certificate? presented)
    {
        if (presented is null)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(presented);
        return chain.Build(leaf);
    }
}
