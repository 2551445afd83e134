using System.Security.Cryptography;
using System.Text;
using CareLedger.Core.Crypto;

namespace CareLedger.Node.Portal;

/// <summary>
/// Keys the node holds for portal users who do not keep a key file. Each key is encrypted at rest with its user's password
/// (PKCS#8, AES-256-CBC, PBKDF2-SHA256 with 600,000 rounds) and filed under a keyed hash of the user name, so the wallet directory
/// (<c>data/wallet/</c>) names no one and a stolen copy gives nothing without the passwords. The node never stores a password.
/// After <see cref="AllowedFailures"/> wrong passwords in a row a user name is locked for <see cref="LockOut"/>, so the portal
/// cannot be used to guess passwords online.
/// </summary>
public sealed class CustodialWallet(string directory, TimeProvider clock)
{
    /// <summary>The shortest password the wallet accepts.</summary>
    public const int MinimumPassword = 12;

    public const int AllowedFailures = 5;

    public static readonly TimeSpan LockOut = TimeSpan.FromMinutes(15);

    private readonly Lock _gate = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (int Failures, DateTimeOffset LockedUntil)> _failures = new();

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

    /// <summary>
    /// The user's key; or, with no key, <c>wallet.wrong_credentials</c> for an unknown user name or a wrong password (the two are not
    /// told apart) and <c>wallet.locked</c> while the user name is locked after repeated failures.
    /// </summary>
    public (SigningKey? Key, string? Refusal) Open(string userName, string password)
    {
        var path = PathOf(userName);
        var now = clock.GetUtcNow();
        if (_failures.TryGetValue(path, out var record) && record.LockedUntil > now)
        {
            return (null, $"wallet.locked: Too many wrong passwords; try again after {record.LockedUntil:HH:mm} UTC.");
        }
        try
        {
            if (Normalise(userName).Length > 0 && File.Exists(path))
            {
                var key = SigningKey.FromPem(File.ReadAllText(path), password);
                _failures.TryRemove(path, out _);
                return (key, null);
            }
        }
        catch (FormatException)
        {
        }
        var failures = (_failures.TryGetValue(path, out var previous) ? previous.Failures : 0) + 1;
        _failures[path] = failures >= AllowedFailures ? (0, now + LockOut) : (failures, DateTimeOffset.MinValue);
        return (null, "wallet.wrong_credentials: Unknown user name or wrong password.");
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
