namespace CareLedger.Vault;

/// <summary>
/// The custodian organisation's key-encryption key: wraps and unwraps per-document data keys. A local
/// key file by default (<see cref="LocalKeyEncryptionKey"/>); an HSM or cloud KMS can implement it later.
/// </summary>
public interface IKeyEncryptionKey
{
    /// <summary>Identifies the KEK, so a wrapped key names the key that can unwrap it.</summary>
    string Id { get; }

    /// <summary>Encrypts a data key.</summary>
    byte[] Wrap(ReadOnlySpan<byte> dataKey);

    /// <summary>Decrypts a wrapped data key. Throws <see cref="VaultException"/> (<c>vault.wrong_key</c>) if it was not wrapped by this KEK.</summary>
    byte[] Unwrap(ReadOnlySpan<byte> wrapped);
}
