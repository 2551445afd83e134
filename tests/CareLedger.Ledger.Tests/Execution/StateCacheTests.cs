using System.Text;
using CareLedger.Ledger.Execution;

namespace CareLedger.Ledger.Tests.Execution;

public class StateCacheTests
{
    // The committed store: a dictionary, with a hook that runs in the middle of a read (after the value is taken).
    private sealed class Store : IStateReader
    {
        public Dictionary<string, byte[]> Values { get; } = new(StringComparer.Ordinal);

        public int Reads { get; private set; }

        public Action? DuringRead { get; set; }

        public byte[]? Get(string key)
        {
            Reads++;
            var value = Values.GetValueOrDefault(key);
            DuringRead?.Invoke();
            return value;
        }
    }

    private static byte[] V(string s) => Encoding.UTF8.GetBytes(s);

    private static KeyValuePair<string, byte[]?> Write(string key, string? value) => KeyValuePair.Create(key, value is null ? null : V(value));

    [Fact]
    public void A_hot_key_is_read_from_the_store_once_and_a_committed_write_replaces_it()
    {
        var store = new Store { Values = { ["records/a"] = V("v1") } };
        var state = new StateCache().Over(store);
        Assert.Equal(V("v1"), state.Get("records/a"));
        Assert.Equal(V("v1"), state.Get("records/a"));
        Assert.Equal(1, store.Reads);

        var cache = new StateCache();
        state = cache.Over(store);
        state.Get("records/a");
        store.Values["records/a"] = V("v2");
        cache.Apply([Write("records/a", "v2")]);
        Assert.Equal(V("v2"), state.Get("records/a"));
        cache.Apply([Write("records/a", null)]);
        Assert.Null(state.Get("records/a"));
    }

    [Fact]
    public void A_value_read_before_a_commit_is_not_remembered_after_it()
    {
        var store = new Store { Values = { ["consent/grant"] = V("active") } };
        var cache = new StateCache();
        var state = cache.Over(store);
        // The read takes the old value; the block that revokes the grant commits and is applied before the read finishes.
        store.DuringRead = () =>
        {
            store.DuringRead = null;
            store.Values["consent/grant"] = V("revoked");
            cache.Apply([Write("consent/grant", "revoked")]);
        };
        Assert.Equal(V("active"), state.Get("consent/grant"));
        Assert.Equal(V("revoked"), state.Get("consent/grant"));
    }

    [Fact]
    public void A_value_read_before_a_commit_is_not_remembered_even_after_the_write_was_evicted()
    {
        var store = new Store { Values = { ["consent/grant"] = V("active") } };
        var cache = new StateCache(capacityBytes: 2_000);
        var state = cache.Over(store);
        store.DuringRead = () =>
        {
            store.DuringRead = null;
            store.Values["consent/grant"] = V("revoked");
            cache.Apply([Write("consent/grant", "revoked")]);
            // Enough other keys go by to push the revocation out of both generations.
            for (var i = 0; i < 100; i++)
            {
                cache.Apply([Write($"other/{i}", new string('x', 100))]);
            }
        };
        state.Get("consent/grant");
        Assert.Equal(V("revoked"), state.Get("consent/grant"));
    }

    [Fact]
    public void The_cache_stays_within_its_capacity_and_reads_through_for_what_it_dropped()
    {
        var store = new Store();
        for (var i = 0; i < 1_000; i++)
        {
            store.Values[$"k/{i}"] = new byte[1_000];
        }
        var state = new StateCache(capacityBytes: 100_000).Over(store);
        for (var i = 0; i < 1_000; i++)
        {
            state.Get($"k/{i}");
        }
        var reads = store.Reads;
        // The most recent keys are still held; the first ones were dropped and are read from the store again.
        state.Get("k/999");
        Assert.Equal(reads, store.Reads);
        Assert.Equal(1_000, state.Get("k/0")!.Length);
        Assert.Equal(reads + 1, store.Reads);
    }
}
