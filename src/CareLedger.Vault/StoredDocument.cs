namespace CareLedger.Vault;

/// <summary>
/// What the vault reports for a stored document: its content address (SHA-256 of the ciphertext, hex),
/// the salted content hash for the ledger (SHA-256 of salt || plaintext, hex; unguessable without the
/// salt, which stays in the vault), and the plaintext size.
/// </summary>
public sealed record StoredDocument(string Address, string SaltedHash, long Size, string MediaType);
