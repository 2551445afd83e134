using System.Security.Cryptography.X509Certificates;
using CareLedger.Core.Crypto;
using DotNext.Net.Security;
using PublicKey = CareLedger.Core.Crypto.PublicKey;

namespace CareLedger.Consensus.Raft;

/// <summary>
/// Mutual TLS between Raft nodes, with the ledger as the authority (docs/adr/0012-raft-peers-are-ledger-validators.md):
/// each node presents a certificate for its ledger node key, and a peer is accepted only while its certificate's key
/// belongs to a current validator (a founding one, or one governance approved and has not removed). A removal takes
/// effect at the next handshake, with no certificate to revoke. A consortium that runs its own PKI also names its CA:
/// peers' certificates must then chain to it as well.
/// </summary>
/// <param name="certificate">This node's certificate (for its node key, with the private key).</param>
/// <param name="validators">The current validators' keys, read from the ledger at each handshake.</param>
/// <param name="authority">The consortium CA peers' certificates must also chain to, or null.</param>
public sealed class RaftTls(X509Certificate2 certificate, Func<IReadOnlyDictionary<KeyId, PublicKey>> validators, X509Certificate2? authority = null)
{
    private long _refused;

    /// <summary>This node's certificate (with its private key).</summary>
    public X509Certificate2 Certificate { get; } = certificate;

    /// <summary>The consortium CA, when the consortium runs its own PKI.</summary>
    public X509Certificate2? Authority { get; } = authority;

    /// <summary>How peers are authenticated: by ledger key alone, or by ledger key and the consortium CA.</summary>
    public string PeerAuthentication => Authority is null ? "validator-key" : "validator-key+ca";

    /// <summary>Handshakes refused since start (a key that is no current validator, or no chain to the CA).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Raised with the presented key's id (null when there was none) for each refused peer.</summary>
    public event Action<string?, string>? PeerRefused;

    /// <summary>DotNext's transport options: server and client side both authenticate.</summary>
    public SslOptions Options()
    {
        var options = new SslOptions();
        options.ServerOptions.ServerCertificate = Certificate;
        options.ServerOptions.ClientCertificateRequired = true;
        options.ServerOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => IsAuthorisedPeer(cert);
        options.ClientOptions.ClientCertificates = [Certificate];
        options.ClientOptions.TargetHost = "careledger-raft";
        options.ClientOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => IsAuthorisedPeer(cert);
        return options;
    }

    /// <summary>
    /// True when <paramref name="presented"/> carries the key of a current validator (and chains to the CA, when there is
    /// one). The names in it are not checked: peers are addressed by IP, and the key is the identity.
    /// </summary>
    public bool IsAuthorisedPeer(X509Certificate? presented)
    {
        if (presented is null)
        {
            return Refuse(null, "no certificate");
        }
        using var leaf = new X509Certificate2(presented);
        PublicKey key;
        try
        {
            key = NodeCertificate.PublicKeyOf(leaf);
        }
        catch (FormatException)
        {
            return Refuse(null, "a certificate without a P-256 key");
        }
        using (key)
        {
            // A key id is the SHA-256 of the key's canonical encoding: the same id is the same key.
            if (!validators().ContainsKey(key.Id))
            {
                return Refuse(key.Id.ToString(), "a key that is no current validator");
            }
            if (Authority is not null && !ChainsToAuthority(leaf))
            {
                return Refuse(key.Id.ToString(), "a certificate that does not chain to the consortium CA");
            }
            return true;
        }
    }

    private bool ChainsToAuthority(X509Certificate2 leaf)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    private bool Refuse(string? key, string reason)
    {
        Interlocked.Increment(ref _refused);
        PeerRefused?.Invoke(key, reason);
        return false;
    }
}
