using CareLedger.Contracts.Consent;
using CareLedger.Core.Crypto;

namespace CareLedger.Node.Portal;

/// <summary>
/// The signed-in person of one portal circuit: their key (imported from their key file with its passphrase, or opened from the
/// custodial wallet with their password; held in server memory for this session only) and who the ledger says they are.
/// </summary>
public sealed class PortalSession(LedgerNode node) : IDisposable
{
    public SigningKey? Key { get; private set; }

    /// <summary>The identity behind the key, as the ledger knows it now.</summary>
    public Caller? Caller => Key is null ? null : Caller.Resolve(node.Engine.State, Key.Id);

    /// <summary>Raised when someone signs in or out.</summary>
    public event Action? Changed;

    /// <summary>Signs in with a PEM key file; null on success, else a sentence for the person.</summary>
    public string? SignIn(string pem, string? passphrase)
    {
        SigningKey key;
        try
        {
            key = SigningKey.FromPem(pem, string.IsNullOrEmpty(passphrase) ? null : passphrase);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            return "auth.bad_key_file: This is not a CareLedger key file, or the passphrase is wrong.";
        }
        return SignIn(key);
    }

    /// <summary>Signs in with a key the session takes over (from the custodial wallet); null on success, else a sentence for the person.</summary>
    public string? SignIn(SigningKey key)
    {
        if (Caller.Resolve(node.Engine.State, key.Id) is null)
        {
            key.Dispose();
            return "auth.unknown_key: This key is not registered (or no longer active) on the ledger.";
        }
        Key?.Dispose();
        Key = key;
        Changed?.Invoke();
        return null;
    }

    public void SignOut()
    {
        Key?.Dispose();
        Key = null;
        Changed?.Invoke();
    }

    public void Dispose() => Key?.Dispose();
}
