using CareLedger.Core.Crypto;
using CareLedger.Ledger.Execution;

namespace CareLedger.Ledger.Tests.Execution;

public class NonceWindowTests
{
    private static readonly KeyId Alice = KeyId.Of("alice"u8);
    private static readonly KeyId Bob = KeyId.Of("bob"u8);

    [Fact]
    public void A_pair_is_seen_until_its_not_after_and_only_for_its_own_signer()
    {
        var window = new NonceWindow();
        window.Add(Alice, 7, notAfter: 1_000);
        Assert.True(window.Contains(Alice, 7, 1_000));
        Assert.False(window.Contains(Alice, 7, 1_001));
        Assert.False(window.Contains(Alice, 8, 500));
        Assert.False(window.Contains(Bob, 7, 500));
        window.Add(Bob, 7, notAfter: 2_000);
        Assert.True(window.Contains(Bob, 7, 1_500));
        Assert.False(window.Contains(Alice, 7, 1_500));
    }

    [Fact]
    public void Pruning_forgets_closed_pairs_and_keeps_open_ones()
    {
        var window = new NonceWindow();
        window.Add(Alice, 1, notAfter: 5_000);
        window.Add(Bob, 1, notAfter: 50_000);
        window.Prune(20_000);
        Assert.Equal(1, window.Count);
        Assert.True(window.Contains(Bob, 1, 20_000));
        Assert.False(window.Contains(Alice, 1, 4_000));
    }
}
