using System.Security.Cryptography;

namespace CareLedger.Vault;

/// <summary>
/// A 256-bit KEK kept in a file readable by the node's user only. Wrapping is AES-256-GCM:
/// <c>nonce (12) || tag (16) || encrypted data key</c>; the id is the first 16 hex digits of SHA-256(key).
/// </summary>
public sealed class LocalKeyEncryptionKey : IKeyEncryptionKey, IDisposable
{
    private readonly AesGcm _aes;

    private LocalKeyEncryptionKey(byte[] key)
    {
        _aes = new AesGcm(key, AesGcm.TagByteSizes.MaxSize);
        Id = "local:" + Convert.ToHexStringLower(SHA256.HashData(key))[..16];
        CryptographicOperations.ZeroMemory(key);
    }

    public string Id { get; }

    /// <summary>Loads the key file, creating it (mode 600) with a fresh random key when it does not exist.</summary>
    public static LocalKeyEncryptionKey OpenOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var fresh = RandomNumberGenerator.GetBytes(32);
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            {
                file.Write(fresh);
            }
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            return new LocalKeyEncryptionKey(fresh);
        }
        var key = File.ReadAllBytes(path);
        if (key.Length != 32)
        {
            throw new VaultException("vault.bad_kek", $"{path} does not hold a 256-bit key.");
        }
        return new LocalKeyEncryptionKey(key);
    }

    public byte[] Wrap(ReadOnlySpan<byte> dataKey)
    {
        var wrapped = new byte[12 + 16 + dataKey.Length];
        RandomNumberGenerator.Fill(wrapped.AsSpan(0, 12));
        lock (_aes)
        {
            _aes.Encrypt(wrapped.AsSpan(0, 12), dataKey, wrapped.AsSpan(28), wrapped.AsSpan(12, 16));
        }
        return wrapped;
    }

    public byte[] Unwrap(ReadOnlySpan<byte> wrapped)
    {
        if (wrapped.Length < 28)
        {
            throw new VaultException("vault.wrong_key", "The wrapped key is truncated.");
        }
        var dataKey = new byte[wrapped.Length - 28];
        try
        {
            lock (_aes)
            {
                _aes.Decrypt(wrapped[..12], wrapped[28..], wrapped.Slice(12, 16), dataKey);
            }
            return dataKey;
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new VaultException("vault.wrong_key", "The data key was not wrapped by this key-encryption key.");
        }
    }

    public void Dispose() => _aes.Dispose();
}
