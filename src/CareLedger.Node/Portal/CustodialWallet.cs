using System.Security.Cryptography;
using System.Text;
using CareLedger.Core.Crypto;

namespace CareLedger.Node.Portal;

/// <summary>
/// Keys the node holds for portal users who do not keep a key file. Each key is encrypted at rest with its user's password
/// (PKCS#8, AES-256-CBC, PBKDF2-SHA256 with 600,000 rounds) and filed under a keyed hash of the user name, so the wallet directory
/// (<c>data/wallet/</c>) names no one and a stolen copy gives nothing without the passwords. The node never stores a password.
/// </summary>
public sealed class CustodialWallet(string directory)
{
    /// <summary>The shortest password the wallet accepts.</summary>
    public const int MinimumPassword = 12;

    private readonly Lock _gate = new();

    /// <summary>Stores <paramref name="key"/> for a new user name; a sentence for the person when it cannot.</summary>
    public string? Create(string userName, string password, SigningKey key)
    {
        if (Normalise(userName) is not { Length: >= 3 and <= 64 })
        {
            return "wallet.bad_user_name: A user name is 3 to 64 characters.";
        }
        if (password.Length < MinimumPassword)
        {
            return $"wallet.weak_password: A wallet password has at least {MinimumPassword} characters.";
        }
        var path = PathOf(userName);
        lock (_gate)
        {
            if (File.Exists(path))
            {
                return "wallet.user_exists: That user name is taken.";
            }
            var temp = path + ".tmp";
            File.WriteAllText(temp, key.ExportPem(password));
            File.Move(temp, path);
        }
        return null;
    }

    /// <summary>The user's key, or null for an unknown user name or a wrong password (the two are not told apart).</summary>
    public SigningKey? Open(string userName, string password)
    {
        var path = PathOf(userName);
        if (Normalise(userName).Length == 0 || !File.Exists(path))
        {
            return null;
        }
        try
        {
            return SigningKey.FromPem(File.ReadAllText(path), password);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Normalise(string userName) => userName.Trim().ToLowerInvariant();

    // HMAC-SHA256 of the user name under a random per-node salt: the file name reveals neither the name nor a guessable hash.
    private string PathOf(string userName)
    {
        var name = Convert.ToHexStringLower(HMACSHA256.HashData(Salt(), Encoding.UTF8.GetBytes(Normalise(userName))));
        return Path.Combine(directory, name + ".key");
    }

    private byte[] Salt()
    {
        lock (_gate)
        {
            var path = Path.Combine(directory, "salt");
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(directory);
                File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(32));
            }
            return File.ReadAllBytes(path);
        }
    }
}
