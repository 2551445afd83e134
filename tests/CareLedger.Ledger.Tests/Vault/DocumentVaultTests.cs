using System.Security.Cryptography;
using System.Text;
using CareLedger.Vault;

namespace CareLedger.Ledger.Tests.Vault;

[Collection("disk")]
public sealed class DocumentVaultTests : IDisposable
{
    private static readonly byte[] Note = Encoding.UTF8.GetBytes("""{"resourceType":"Observation","subject":{"display":"Jane Example, born 1970-02-03"},"valueString":"HbA1c 6.1%"}""");
    private readonly string _root = Path.Combine(Path.GetTempPath(), "careledger-vault-" + Guid.NewGuid().ToString("N"));
    private readonly LocalKeyEncryptionKey _kek;
    private readonly DocumentVault _vault;

    public DocumentVaultTests()
    {
        _kek = LocalKeyEncryptionKey.OpenOrCreate(Path.Combine(_root, "kek.key"));
        _vault = new DocumentVault(Path.Combine(_root, "vault"), _kek, maxDocumentBytes: 1024 * 1024);
    }

    public void Dispose()
    {
        _kek.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void A_document_round_trips_and_no_file_holds_its_plaintext()
    {
        var stored = _vault.Put(Note, "application/fhir+json");
        Assert.Equal(Note, _vault.Get(stored.Address));
        Assert.Equal(stored.SaltedHash, _vault.RecomputeSaltedHash(stored.Address));
        foreach (var file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
        {
            var text = Encoding.UTF8.GetString(File.ReadAllBytes(file));
            Assert.DoesNotContain("Jane", text);
            Assert.DoesNotContain("HbA1c", text);
        }
    }

    [Fact]
    public void The_same_document_twice_gets_different_keys_addresses_and_salted_hashes()
    {
        var a = _vault.Put(Note, "application/fhir+json");
        var b = _vault.Put(Note, "application/fhir+json");
        Assert.NotEqual(a.Address, b.Address);
        Assert.NotEqual(a.SaltedHash, b.SaltedHash);
        // Without the salt, the plain hash of a guessed document does not match what the ledger holds.
        Assert.NotEqual(Convert.ToHexStringLower(SHA256.HashData(Note)), a.SaltedHash);
    }

    [Fact]
    public void A_changed_ciphertext_byte_is_detected()
    {
        var stored = _vault.Put(Note, "application/fhir+json");
        var blob = Directory.EnumerateFiles(Path.Combine(_root, "vault", "blobs"), stored.Address, SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(blob);
        bytes[^1] ^= 1;
        File.WriteAllBytes(blob, bytes);
        Assert.Equal("vault.tampered", Assert.Throws<VaultException>(() => _vault.Get(stored.Address)).Code);
    }

    [Fact]
    public void Another_custodians_key_cannot_unwrap_the_data_key()
    {
        var stored = _vault.Put(Note, "application/fhir+json");
        using var other = LocalKeyEncryptionKey.OpenOrCreate(Path.Combine(_root, "other.key"));
        var foreign = new DocumentVault(Path.Combine(_root, "vault"), other);
        Assert.Equal("vault.wrong_key", Assert.Throws<VaultException>(() => foreign.Get(stored.Address)).Code);
    }

    [Fact]
    public void Erasure_destroys_key_and_ciphertext_for_good()
    {
        var stored = _vault.Put(Note, "application/fhir+json");
        _vault.Erase(stored.Address);
        Assert.Equal("vault.erased", Assert.Throws<VaultException>(() => _vault.Get(stored.Address)).Code);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, "vault", "blobs"), "*", SearchOption.AllDirectories));
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(_root, "vault", "keys")), f => f.EndsWith(".json", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("ABCDEF")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    public void Unknown_or_malformed_addresses_are_not_found(string address)
    {
        Assert.Equal("vault.not_found", Assert.Throws<VaultException>(() => _vault.Get(address)).Code);
    }

    [Fact]
    public void Oversized_documents_are_refused()
    {
        Assert.Equal("vault.too_large", Assert.Throws<VaultException>(() => _vault.Put(new byte[1024 * 1024 + 1], "application/pdf")).Code);
    }

    [Fact]
    public void The_key_encryption_key_file_is_private_and_reloads()
    {
        var path = Path.Combine(_root, "kek.key");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        var stored = _vault.Put(Note, "application/fhir+json");
        using var reloaded = LocalKeyEncryptionKey.OpenOrCreate(path);
        Assert.Equal(_kek.Id, reloaded.Id);
        Assert.Equal(Note, new DocumentVault(Path.Combine(_root, "vault"), reloaded).Get(stored.Address));
    }
}
