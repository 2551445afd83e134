using System.Security.Cryptography;
using System.Text.Json;

namespace CareLedger.Vault;

/// <summary>
/// Encrypted, content-addressed document storage under a directory: <c>blobs/ab/&lt;address&gt;</c> holds
/// <c>nonce (12) || tag (16) || ciphertext</c> encrypted with a fresh AES-256-GCM data key per document;
/// <c>keys/&lt;address&gt;.json</c> holds that key wrapped by the custodian's KEK, the salt of the ledger
/// hash and the media type. Erasure destroys both files (crypto-shredding); nothing readable remains.
/// </summary>
public sealed class DocumentVault(string root, IKeyEncryptionKey kek, long maxDocumentBytes = 32 * 1024 * 1024)
{
    private sealed record KeyFile(string Kek, string WrappedKey, string Salt, string MediaType, long Size);

    /// <summary>Encrypts and stores a document.</summary>
    public StoredDocument Put(ReadOnlySpan<byte> plaintext, string mediaType)
    {
        if (plaintext.Length > maxDocumentBytes)
        {
            throw new VaultException("vault.too_large", $"A document is at most {maxDocumentBytes} bytes.");
        }
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var salt = RandomNumberGenerator.GetBytes(32);
        var sealedBytes = new byte[12 + 16 + plaintext.Length];
        RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, 12));
        using (var aes = new AesGcm(dataKey, 16))
        {
            aes.Encrypt(sealedBytes.AsSpan(0, 12), plaintext, sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16));
        }
        var address = Convert.ToHexStringLower(SHA256.HashData(sealedBytes));
        var saltedHash = SaltedHash(salt, plaintext);
        var keyFile = new KeyFile(kek.Id, Convert.ToBase64String(kek.Wrap(dataKey)), Convert.ToBase64String(salt), mediaType, plaintext.Length);
        CryptographicOperations.ZeroMemory(dataKey);
        WriteAtomically(BlobPath(address), sealedBytes);
        WriteAtomically(KeyPath(address), JsonSerializer.SerializeToUtf8Bytes(keyFile));
        VaultMetrics.Count("put");
        return new StoredDocument(address, saltedHash, plaintext.Length, mediaType);
    }

    /// <summary>Decrypts a stored document. Throws <see cref="VaultException"/> when it is unknown, erased or tampered with.</summary>
    public byte[] Get(string address)
    {
        var keyFile = ReadKeyFile(address);
        var sealedBytes = File.Exists(BlobPath(address))
            ? File.ReadAllBytes(BlobPath(address))
            : throw new VaultException("vault.tampered", $"The ciphertext of {address} is missing.");
        if (sealedBytes.Length < 28 || Convert.ToHexStringLower(SHA256.HashData(sealedBytes)) != address)
        {
            throw new VaultException("vault.tampered", $"The ciphertext of {address} does not match its address.");
        }
        var dataKey = kek.Unwrap(Convert.FromBase64String(keyFile.WrappedKey));
        var plaintext = new byte[sealedBytes.Length - 28];
        try
        {
            using var aes = new AesGcm(dataKey, 16);
            aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16), plaintext);
            VaultMetrics.Count("get");
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new VaultException("vault.tampered", $"{address} does not decrypt with its key.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>The media type the document was stored with.</summary>
    public string MediaTypeOf(string address) => ReadKeyFile(address).MediaType;

    /// <summary>The salted hash recorded on the ledger, recomputed from the stored document (integrity check).</summary>
    public string RecomputeSaltedHash(string address) => SaltedHash(Convert.FromBase64String(ReadKeyFile(address).Salt), Get(address));

    /// <summary>Destroys the data key and the ciphertext. Afterwards <see cref="Get"/> answers <c>vault.erased</c>.</summary>
    public void Erase(string address)
    {
        RequireAddress(address);
        VaultMetrics.Count("erase");
        foreach (var path in new[] { KeyPath(address), BlobPath(address) })
        {
            if (File.Exists(path))
            {
                // Overwrite before unlinking, so the key does not linger in the file's old blocks.
                var length = new FileInfo(path).Length;
                using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
                {
                    file.Write(RandomNumberGenerator.GetBytes((int)Math.Min(length, int.MaxValue)));
                    file.Flush(flushToDisk: true);
                }
                File.Delete(path);
            }
        }
        File.WriteAllText(ErasedPath(address), "erased");
    }

    private KeyFile ReadKeyFile(string address)
    {
        RequireAddress(address);
        if (File.Exists(ErasedPath(address)))
        {
            throw new VaultException("vault.erased", $"{address} was erased at the patient's request.");
        }
        if (!File.Exists(KeyPath(address)))
        {
            throw new VaultException("vault.not_found", $"No document {address}.");
        }
        return JsonSerializer.Deserialize<KeyFile>(File.ReadAllBytes(KeyPath(address)))
            ?? throw new VaultException("vault.tampered", $"The key file of {address} is empty.");
    }

    private static string SaltedHash(ReadOnlySpan<byte> salt, ReadOnlySpan<byte> plaintext)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(salt);
        sha.AppendData(plaintext);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    // Addresses are 64 lowercase hex digits: nothing else reaches the file system.
    private static void RequireAddress(string address)
    {
        if (address.Length != 64 || !address.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
        {
            throw new VaultException("vault.not_found", "A document address is 64 lowercase hex digits.");
        }
    }

    private string BlobPath(string address) => Path.Combine(root, "blobs", address[..2], address);

    private string KeyPath(string address) => Path.Combine(root, "keys", address + ".json");

    private string ErasedPath(string address) => Path.Combine(root, "keys", address + ".erased");

    private static void WriteAtomically(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }
}
