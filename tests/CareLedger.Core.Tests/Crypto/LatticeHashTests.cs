using CareLedger.Core.Crypto;

namespace CareLedger.Core.Tests.Crypto;

public class LatticeHashTests
{
    private static byte[] E(string s) => System.Text.Encoding.UTF8.GetBytes(s);

    [Fact]
    public void The_sum_does_not_depend_on_the_order_of_adding()
    {
        var a = new LatticeHash();
        var b = new LatticeHash();
        foreach (var x in new[] { "k1", "k2", "k3" })
        {
            a.Add(E(x));
        }
        foreach (var x in new[] { "k3", "k1", "k2" })
        {
            b.Add(E(x));
        }
        Assert.Equal(a.Checksum(), b.Checksum());
    }

    [Fact]
    public void Removing_an_element_undoes_adding_it_and_partial_sums_combine()
    {
        var set = new LatticeHash();
        set.Add(E("kept"));
        var before = set.Checksum();
        set.Add(E("passing"));
        Assert.NotEqual(before, set.Checksum());
        set.Remove(E("passing"));
        Assert.Equal(before, set.Checksum());

        var left = new LatticeHash();
        left.Add(E("kept"));
        var right = new LatticeHash();
        right.Add(E("other"));
        left.Add(right);
        set.Add(E("other"));
        Assert.Equal(set.Checksum(), left.Checksum());
    }

    [Fact]
    public void A_changed_element_a_missing_one_or_a_repeated_one_changes_the_checksum()
    {
        var set = new LatticeHash();
        set.Add(E("a"));
        set.Add(E("b"));
        var changed = new LatticeHash();
        changed.Add(E("a"));
        changed.Add(E("c"));
        var missing = new LatticeHash();
        missing.Add(E("a"));
        var repeated = set.Clone();
        repeated.Add(E("b"));
        Assert.Equal(4, new[] { set.Checksum(), changed.Checksum(), missing.Checksum(), repeated.Checksum() }.Distinct().Count());
        Assert.Equal(new LatticeHash().Checksum(), LatticeHash.EmptyChecksum);
        Assert.Equal(Hash.Compute(new byte[2 * LatticeHash.Lanes]), LatticeHash.EmptyChecksum);
    }
}
