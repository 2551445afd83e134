using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CareLedger.Consensus.Raft;
using CareLedger.Core.Crypto;
using PublicKey = CareLedger.Core.Crypto.PublicKey;

namespace CareLedger.Node.Tests;

/// <summary>
/// Raft's mutual TLS with the ledger as the authority, over real TLS handshakes on loopback: a peer is accepted while its
/// certificate's key is a current validator's, whoever signed the certificate, and refused the moment governance removes it.
/// </summary>
public sealed class RaftTlsTests : IDisposable
{
    private readonly SigningKey _node1 = SigningKey.Generate();
    private readonly SigningKey _node2 = SigningKey.Generate();
    private readonly Dictionary<KeyId, PublicKey> _validators = [];

    public RaftTlsTests()
    {
        _validators[_node1.Id] = _node1.PublicKey;
        _validators[_node2.Id] = _node2.PublicKey;
    }

    public void Dispose()
    {
        _node1.Dispose();
        _node2.Dispose();
    }

    private RaftTls TlsOf(SigningKey key, X509Certificate2? authority = null, X509Certificate2? certificate = null) =>
        new(certificate ?? NodeCertificate.CreateSelfSigned(key, "node", ["127.0.0.1", "node.example"], TimeProvider.System),
            () => new Dictionary<KeyId, PublicKey>(_validators), authority);

    // True when both sides accept each other.
    private static async Task<bool> HandshakeAsync(RaftTls server, RaftTls client)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accept = Task.Run(async () =>
        {
            using var socket = await listener.AcceptTcpClientAsync();
            await using var ssl = new SslStream(socket.GetStream());
            try
            {
                await ssl.AuthenticateAsServerAsync(server.Options().ServerOptions);
                return true;
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException)
            {
                return false;
            }
        });
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        await using var stream = new SslStream(tcp.GetStream());
        bool connected;
        try
        {
            await stream.AuthenticateAsClientAsync(client.Options().ClientOptions);
            // TLS 1.3 reports the server's refusal of the client certificate on the first read, not in the handshake.
            await stream.WriteAsync(new byte[] { 1 });
            connected = true;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            connected = false;
        }
        return await accept && connected;
    }

    [Fact]
    public async Task Validators_connect_and_a_key_governance_removed_is_refused_at_the_next_handshake()
    {
        var server = TlsOf(_node1);
        Assert.True(await HandshakeAsync(server, TlsOf(_node2)));
        Assert.Equal(0, server.Refused);

        _validators.Remove(_node2.Id);
        Assert.False(await HandshakeAsync(server, TlsOf(_node2)));
        Assert.True(server.Refused >= 1);
    }

    [Fact]
    public async Task A_key_that_was_never_a_validator_is_refused_on_either_side()
    {
        using var stranger = SigningKey.Generate();
        string? refusedKey = null;
        var server = TlsOf(_node1);
        server.PeerRefused += (key, _) => refusedKey = key;
        Assert.False(await HandshakeAsync(server, TlsOf(stranger)));
        Assert.Equal(stranger.Id.ToString(), refusedKey);

        var client = TlsOf(_node1);
        Assert.False(await HandshakeAsync(TlsOf(stranger), client));
        Assert.Equal(1, client.Refused);
    }

    [Fact]
    public async Task With_the_consortiums_own_CA_a_validators_key_must_also_chain_to_it()
    {
        using var authority = Authority("CareLedger test CA");
        using var foreign = Authority("Elsewhere CA");
        var server = TlsOf(_node1, authority, Issue(authority, _node1));
        Assert.Equal("validator-key+ca", server.PeerAuthentication);
        Assert.True(await HandshakeAsync(server, TlsOf(_node2, authority, Issue(authority, _node2))));
        // The right key from another CA, and the right CA for a key that is no validator: both refused.
        Assert.False(await HandshakeAsync(server, TlsOf(_node2, authority, Issue(foreign, _node2))));
        using var stranger = SigningKey.Generate();
        Assert.False(await HandshakeAsync(server, TlsOf(stranger, authority, Issue(authority, stranger))));
    }

    [Fact]
    public void A_signing_request_names_the_hosts_and_proves_the_key_and_an_altered_one_is_refused()
    {
        var request = NodeCertificate.CreateSigningRequest(_node1, "node1", ["10.1.2.3", "node1.hospital.example"]);
        var (key, hosts) = NodeCertificate.ReadSigningRequest(request);
        using (key)
        {
            Assert.Equal(_node1.Id, key.Id);
        }
        Assert.Equal(["10.1.2.3", "node1.hospital.example"], hosts);
        var at = request.AsSpan().IndexOf(new byte[] { 10, 1, 2, 3 });
        request[at + 3] = 4;
        Assert.Throws<FormatException>(() => NodeCertificate.ReadSigningRequest(request));
        Assert.Throws<FormatException>(() => NodeCertificate.ReadSigningRequest([0x30, 0x03, 0x02, 0x01, 0x00]));
    }

    [Fact]
    public void The_certificate_a_node_presents_carries_its_key_and_its_hosts()
    {
        using var certificate = NodeCertificate.CreateSelfSigned(_node1, "node1", ["10.1.2.3", "node1.hospital.example"], TimeProvider.System);
        Assert.True(certificate.HasPrivateKey);
        using var key = NodeCertificate.PublicKeyOf(certificate);
        Assert.Equal(_node1.Id, key.Id);
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal("10.1.2.3", Assert.Single(san.EnumerateIPAddresses()).ToString());
        Assert.Equal("node1.hospital.example", Assert.Single(san.EnumerateDnsNames()));
    }

    private static X509Certificate2 Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    // What a consortium's own CA does with a node's request: signs a certificate for the key the request carries.
    private static X509Certificate2 Issue(X509Certificate2 authority, SigningKey node)
    {
        var request = CertificateRequest.LoadSigningRequest(NodeCertificate.CreateSigningRequest(node, "node", ["127.0.0.1"]), HashAlgorithmName.SHA256,
            CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        using var issued = request.Create(authority, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(16));
        using var self = NodeCertificate.CreateSelfSigned(node, "node", ["127.0.0.1"], TimeProvider.System);
        // The node's private key (from its self-signed certificate) joined to the CA's certificate for the same key.
        using var withKey = issued.CopyWithPrivateKey(self.GetECDsaPrivateKey()!);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
