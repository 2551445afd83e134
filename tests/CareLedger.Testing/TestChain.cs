using CareLedger.Contracts;
using CareLedger.Contracts.Identity;
using CareLedger.Core.Crypto;
using CareLedger.Core.Encoding;
using CareLedger.Core.Ledger;
using CareLedger.Ledger;
using CareLedger.Ledger.Audit;
using CareLedger.Ledger.Ordering;
using CareLedger.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace CareLedger.Testing;

/// <summary>
/// A real ledger for tests: fresh keys, a genesis with governing organisations, a store (SQLite file or
/// in-memory SQLite) and an engine. Blocks are committed explicitly, so tests control every block.
/// </summary>
public sealed class TestChain : IDisposable
{
    private long _clock;

    private TestChain(LedgerStore store, string? directory, int governingOrganisations)
    {
        Store = store;
        Directory = directory;
        NodeKey = SigningKey.Generate();
        OrgKeys = Enumerable.Range(0, governingOrganisations).Select(_ => SigningKey.Generate()).ToList();
        _clock = 1_800_000_000_000;
        Genesis = new GenesisDocument
        {
            Chain = "careledger-test",
            Timestamp = _clock,
            Validators = [NodeKey.PublicKey.SubjectPublicKeyInfo.ToArray()],
            Organisations = OrgKeys.Select((k, i) => new GenesisOrganisation($"org:founder-{i}", i == 0 ? "Hospital" : "Insurer", true,
                [k.PublicKey.SubjectPublicKeyInfo.ToArray()])).ToList(),
        };
        Signers = new IdentitySignerDirectory();
        Engine = LedgerEngine.Open(store, ContractCatalog.Executor(Signers), NodeKey, Genesis, IdentityGenesis.StateFor(Genesis), NullLogger.Instance);
    }

    /// <summary>A chain on an in-memory SQLite database.</summary>
    public static TestChain InMemory(int governingOrganisations = 1) => new(LedgerStore.OpenInMemory(), null, governingOrganisations);

    /// <summary>A chain on a SQLite file in a fresh temporary directory (deleted on dispose).</summary>
    public static TestChain OnDisk(int governingOrganisations = 1, int checkpointPages = LedgerStore.DefaultCheckpointPages)
    {
        var dir = Path.Combine(Path.GetTempPath(), "careledger-test-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        return new TestChain(LedgerStore.Open(Path.Combine(dir, "ledger.db"), checkpointPages), dir, governingOrganisations);
    }

    public LedgerStore Store { get; }

    public string? Directory { get; }

    public string DatabasePath => Path.Combine(Directory!, "ledger.db");

    public SigningKey NodeKey { get; }

    /// <summary>Keys of the founding organisations org:founder-0, org:founder-1, …</summary>
    public IReadOnlyList<SigningKey> OrgKeys { get; }

    public GenesisDocument Genesis { get; }

    public IdentitySignerDirectory Signers { get; }

    public LedgerEngine Engine { get; }

    /// <summary>The block time of the next block (advances by one second per block).</summary>
    public long Now => _clock;

    /// <summary>Moves the block clock forward (e.g. past a refill interval or an expiry).</summary>
    public void Advance(TimeSpan by) => _clock += (long)by.TotalMilliseconds;

    /// <summary>A transaction factory for <paramref name="key"/> on this chain, with the test clock.</summary>
    public Transaction Sign(SigningKey key, string type, string argsJson, ulong? nonce = null, long? notAfter = null) =>
        TransactionCodec.Sign(key, Genesis.Chain, type, TransactionArgs.FromJson(argsJson), nonce ?? NextNonce(), notAfter ?? _clock + 60_000);

    /// <summary>A notary anchoring of a random hash, signed by the first organisation.</summary>
    public Transaction Anchor(string? hash = null, SigningKey? key = null) =>
        Sign(key ?? OrgKeys[0], "notary.anchor", $$"""{"hash":"{{hash ?? RandomHash()}}","documentType":"lab-report"}""");

    /// <summary>Executes and commits the transactions as the next block.</summary>
    public Block Commit(params Transaction[] transactions)
    {
        _clock += 1000;
        return Engine.Commit(new OrderedBatch(_clock, transactions));
    }

    /// <summary>An auditor for this chain.</summary>
    public ChainAuditor Auditor() => new(Genesis, IdentityGenesis.StateFor(Genesis), ContractCatalog.Executor(new IdentitySignerDirectory()));

    /// <summary>The validators as trusted keys.</summary>
    public IReadOnlyDictionary<KeyId, PublicKey> Validators => Genesis.ValidatorKeys();

    public static string RandomHash() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private static ulong _nonce;

    private static ulong NextNonce() => Interlocked.Increment(ref _nonce);

    public void Dispose()
    {
        Store.Dispose();
        NodeKey.Dispose();
        foreach (var k in OrgKeys)
        {
            k.Dispose();
        }
        if (Directory is not null)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
