using CareLedger.Core.Crypto;
using CareLedger.Node.Portal;

namespace CareLedger.Node.Tests;

public sealed class CustodialWalletTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "careledger-wallet-" + Guid.NewGuid().ToString("N"));
    private readonly ManualClock _clock = new();

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2027, 1, 15, 8, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Keys_are_encrypted_under_the_password_and_repeated_wrong_passwords_lock_the_user_name()
    {
        var wallet = new CustodialWallet(_directory, _clock);
        using var key = SigningKey.Generate();
        Assert.StartsWith("wallet.weak_password", wallet.Create("sam", "short", key));
        Assert.Null(wallet.Create("Sam.Example", "a long enough passphrase", key));
        Assert.StartsWith("wallet.user_exists", wallet.Create("sam.example", "another long passphrase", key));
        var file = Assert.Single(Directory.GetFiles(_directory, "*.key"));
        Assert.DoesNotContain("sam", Path.GetFileName(file), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("ENCRYPTED PRIVATE KEY", File.ReadAllText(file), StringComparison.Ordinal);

        var (opened, _) = wallet.Open(" SAM.example ", "a long enough passphrase");
        using (opened)
        {
            Assert.Equal(key.Id, opened!.Id);
        }
        Assert.StartsWith("wallet.wrong_credentials", wallet.Open("nobody", "a long enough passphrase").Refusal);
        for (var i = 0; i < CustodialWallet.AllowedFailures; i++)
        {
            Assert.StartsWith("wallet.wrong_credentials", wallet.Open("sam.example", "wrong guess " + i).Refusal);
        }
        var locked = wallet.Open("sam.example", "a long enough passphrase");
        Assert.Null(locked.Key);
        Assert.StartsWith("wallet.locked", locked.Refusal);

        _clock.Now += CustodialWallet.LockOut + TimeSpan.FromSeconds(1);
        var (again, refusal) = wallet.Open("sam.example", "a long enough passphrase");
        using (again)
        {
            Assert.Null(refusal);
            Assert.Equal(key.Id, again!.Id);
        }
    }
}
