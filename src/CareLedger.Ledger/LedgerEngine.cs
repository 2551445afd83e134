using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Core.Merkle;
using CareLedger.Ledger.Audit;
using CareLedger.Ledger.Execution;
using CareLedger.Ledger.Ordering;
using CareLedger.Storage;
using Microsoft.Extensions.Logging;

namespace CareLedger.Ledger;

/// <summary>
/// Executes ordered batches and commits them as signed blocks: results appended to the Merkle log,
/// header with previous hash, transaction root, log size and root, state digest, proposer signature;
/// everything in one SQL transaction. Hands out receipts and consistency proofs.
/// </summary>
public sealed class LedgerEngine
{
    private readonly LedgerStore _store;
    private readonly BlockExecutor _executor;
    private readonly SigningKey _nodeKey;
    private readonly ILogger _logger;
    private NonceWindow _nonces;
    private readonly StateCache _cache = new();
    private BlockHeader _tip;
    private PreparedBlock? _unwritten;
    private Task _writing = Task.CompletedTask;
    private MerkleLog _log;
    private LatticeHash _stateSet;
    private SignedBlockHeader _head;

    private LedgerEngine(LedgerStore store, BlockExecutor executor, SigningKey nodeKey, GenesisDocument genesis, NonceWindow nonces,
        LatticeHash stateSet, ILogger logger)
    {
        _store = store;
        _executor = executor;
        _nodeKey = nodeKey;
        _logger = logger;
        State = _cache.Over(new StoreStateReader(store));
        Genesis = genesis;
        _head = store.GetHead() ?? throw new InvalidOperationException("The store has no genesis block.");
        _tip = _head.Header;
        _log = new MerkleLog(store, _head.Header.LogSize);
        _nonces = nonces;
        _stateSet = stateSet;
    }

    /// <summary>The genesis document of this chain.</summary>
    public GenesisDocument Genesis { get; }

    /// <summary>The chain id.</summary>
    public string Chain => Genesis.Chain;

    /// <summary>The signed header of the last committed block.</summary>
    public SignedBlockHeader Head => Volatile.Read(ref _head);

    /// <summary>(signer, nonce) pairs in blocks whose validity window is open: the replay registry admission consults.</summary>
    public NonceWindow Nonces => Volatile.Read(ref _nonces);

    /// <summary>Committed world state, safe to read from any thread.</summary>
    public IStateReader State { get; }

    /// <summary>
    /// True when execution checks every transaction's signature again (consortium mode: the batch was
    /// ordered by another node, whose admission this node does not trust).
    /// </summary>
    public bool VerifiesSignatures { get; init; }

    /// <summary>Signatures this node's admission verified; execution does not check them again.</summary>
    public VerifiedSignatures VerifiedSignatures { get; } = new();

    /// <summary>This node's validator key id.</summary>
    public KeyId NodeKeyId => _nodeKey.Id;

    /// <summary>Raised after each block is durable (on the thread that wrote it).</summary>
    public event Action<Block>? BlockCommitted;

    /// <summary>
    /// Opens the ledger in <paramref name="store"/>, writing the genesis block first when the store is empty.
    /// Refuses (with <see cref="StoreCorruptedException"/>) a store that fails <see cref="StartupCheck"/>.
    /// </summary>
    public static LedgerEngine Open(LedgerStore store, BlockExecutor executor, SigningKey nodeKey, GenesisDocument genesis,
        IReadOnlyList<StateWrite> genesisState, ILogger logger, bool verifiesSignatures = false)
    {
        if (store.GetHead() is null)
        {
            WriteGenesis(store, nodeKey, genesis, genesisState);
        }
        var stored = store.GetMeta("genesis");
        if (stored is null || !stored.AsSpan().SequenceEqual(genesis.Encode()))
        {
            throw new StoreCorruptedException("The data directory belongs to another chain: its genesis document differs from this node's.");
        }
        var (nonces, stateSet) = StartupCheck.Run(store, genesis, nodeKey.PublicKey);
        return new LedgerEngine(store, executor, nodeKey, genesis, nonces, stateSet, logger) { VerifiesSignatures = verifiesSignatures };
    }

    private static void WriteGenesis(LedgerStore store, SigningKey nodeKey, GenesisDocument genesis, IReadOnlyList<StateWrite> genesisState)
    {
        var ordered = genesisState.OrderBy(w => w.Key, StringComparer.Ordinal).ToList();
        var writesDigest = StateOverlay.DigestOf(ordered.Select(w => KeyValuePair.Create(w.Key, w.Value)).ToList());
        var stateSet = StateSet.Of(ordered.Select(w => KeyValuePair.Create(w.Key, w.Value!)));
        // The genesis block's proposer is the first validator, so every node of a network derives the same block 0.
        var header = new BlockHeader(genesis.Chain, 0, genesis.ComputeHash(), genesis.Timestamp, 0, MerkleHasher.EmptyRoot,
            0, MerkleHasher.EmptyRoot, StateOverlay.ChainStateDigest(Hash.Zero, writesDigest), stateSet.Checksum(), KeyId.Of(genesis.Validators[0]));
        store.PutMeta("genesis", genesis.Encode());
        store.Commit(new BlockCommit
        {
            Block = new Block(SignedBlockHeader.Sign(header, nodeKey), [], []),
            FirstLogIndex = 0,
            EncodedResults = [],
            MerkleNodes = [],
            StateWrites = ordered,
        });
    }

    /// <summary>
    /// Executes and commits one ordered batch as the next block, durably, before returning;
    /// <paramref name="meta"/> is written in the same SQL transaction.
    /// </summary>
    public Block Commit(OrderedBatch batch, IReadOnlyList<KeyValuePair<string, byte[]>>? meta = null)
    {
        var prepared = Prepare(batch, meta ?? []);
        try
        {
            Write(prepared);
        }
        catch
        {
            ResetToStoredHead();
            throw;
        }
        return prepared.Block;
    }

    /// <summary>
    /// Commits every batch the orderer produces until cancelled, pipelined (see <see cref="CommitPipelinedAsync"/>).
    /// A failed write stops the loop.
    /// </summary>
    public async Task RunAsync(IOrderingService ordering, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var batch in ordering.ReadBatchesAsync(cancellationToken))
            {
                await CommitPipelinedAsync(batch);
            }
        }
        finally
        {
            await FlushAsync();
        }
    }

    /// <summary>
    /// Executes <paramref name="batch"/> now and writes it in the background: block N+1 is executed while
    /// block N is being written to disk (its writes are read from memory meanwhile). Writes happen in order;
    /// a block is announced only once its SQL transaction has committed. A failed write surfaces from the
    /// next call (or <see cref="FlushAsync"/>). One caller at a time.
    /// </summary>
    public async Task CommitPipelinedAsync(OrderedBatch batch, IReadOnlyList<KeyValuePair<string, byte[]>>? meta = null)
    {
        var prepared = Prepare(batch, meta ?? []);
        await _writing;
        _writing = Task.Run(() => Write(prepared), CancellationToken.None);
    }

    /// <summary>Completes when every block prepared so far is durable (or throws its write's failure).</summary>
    public Task FlushAsync() => _writing;

    // Execution and everything up to the signed header: pure computation over state in memory and on disk.
    private PreparedBlock Prepare(OrderedBatch batch, IReadOnlyList<KeyValuePair<string, byte[]>> meta)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var previous = _tip;
        var height = previous.Height + 1;
        var context = new BlockContext(Chain, height, Math.Max(batch.Timestamp, previous.Timestamp));
        var unwritten = Volatile.Read(ref _unwritten);
        var state = unwritten is null ? State : new PendingWritesReader(unwritten.Overlay.Writes, State);
        var transactions = WithoutCopiesOfIncluded(batch.Transactions, context.Timestamp, unwritten);
        var executed = _executor.Execute(context, transactions, state, _nonces, VerifiesSignatures, VerifiedSignatures);

        var firstLogIndex = _log.Size;
        var nodes = new List<MerkleNode>();
        var encodedResults = executed.Results.Select(TransactionResultCodec.Encode).ToList();
        foreach (var encoded in encodedResults)
        {
            nodes.AddRange(_log.Append(MerkleHasher.HashLeaf(encoded)));
        }
        var txRoot = BlockChecks.TransactionRoot(transactions);
        var stateSet = _stateSet.Clone();
        StateSet.Apply(stateSet, executed.BlockWrites.Writes, state);
        var header = new BlockHeader(Chain, height, previous.Hash, context.Timestamp, transactions.Count, txRoot,
            _log.Size, _log.Root(), StateOverlay.ChainStateDigest(previous.StateDigest, executed.WritesDigest), stateSet.Checksum(),
            batch.Proposer ?? _nodeKey.Id);
        var block = new Block(SignedBlockHeader.Sign(header, _nodeKey), transactions, executed.Results);
        var prepared = new PreparedBlock(block, executed.BlockWrites, new BlockCommit
        {
            Block = block,
            FirstLogIndex = firstLogIndex,
            EncodedResults = encodedResults,
            MerkleNodes = nodes,
            StateWrites = executed.BlockWrites.Writes.Select(w => new StateWrite(w.Key, w.Value)).ToList(),
            Meta = meta,
        });
        _tip = header;
        _stateSet = stateSet;
        Volatile.Write(ref _unwritten, prepared);
        LedgerMetrics.BlockExecution.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        return prepared;
    }

    // A transaction id is on the ledger at most once. A byte-identical copy of an included transaction
    // (only ordering from another node could bring one; admission refuses them) is dropped before
    // execution rather than recorded as a rejected replay. Copies can only be replays or expired,
    // so only those pay for a look-up.
    private List<Transaction> WithoutCopiesOfIncluded(IReadOnlyList<Transaction> batch, long blockTime, PreparedBlock? unwritten)
    {
        var seen = new HashSet<Hash>();
        var kept = new List<Transaction>(batch.Count);
        foreach (var tx in batch)
        {
            if (!seen.Add(tx.Id))
            {
                continue;
            }
            var suspicious = tx.NotAfter < blockTime || _nonces.Contains(tx.Signer, tx.Nonce, blockTime);
            if (suspicious && (_store.GetTransaction(tx.Id) is not null || unwritten?.Block.Transactions.Any(t => t.Id == tx.Id) == true))
            {
                continue;
            }
            kept.Add(tx);
        }
        return kept;
    }

    // The durable part: one SQL transaction, then the block becomes the head and is announced.
    private void Write(PreparedBlock prepared)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            _store.Commit(prepared.Commit);
        }
        catch (Exception ex)
        {
            Log.CommitFailed(_logger, prepared.Block.Header.Height, ex);
            throw;
        }
        LedgerMetrics.BlockCommit.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        LedgerMetrics.BlockTransactions.Record(prepared.Block.Transactions.Count);
        _cache.Apply(prepared.Overlay.Writes);
        Volatile.Write(ref _head, prepared.Block.SignedHeader);
        Interlocked.CompareExchange(ref _unwritten, null, prepared);
        Log.BlockCommitted(_logger, prepared.Block.Header.Height, prepared.Block.Transactions.Count, prepared.Block.Header.Hash);
        BlockCommitted?.Invoke(prepared.Block);
    }

    // The SQL transaction rolled back: forget everything derived from blocks that are not on disk.
    // (The pipelined loop does not come back from a failed write: it stops, and the node with it.)
    private void ResetToStoredHead()
    {
        _head = _store.GetHead()!;
        _tip = _head.Header;
        _unwritten = null;
        _log = new MerkleLog(_store, _head.Header.LogSize);
        (_nonces, _stateSet) = StartupCheck.Run(_store, Genesis, _nodeKey.PublicKey);
    }

    private sealed record PreparedBlock(Block Block, StateOverlay Overlay, BlockCommit Commit);

    private sealed class PendingWritesReader(IReadOnlyDictionary<string, byte[]?> writes, IStateReader committed) : IStateReader
    {
        public byte[]? Get(string key) => writes.TryGetValue(key, out var value) ? value : committed.Get(key);
    }

    /// <summary>
    /// A receipt for a committed transaction against <paramref name="against"/> (default: the current head),
    /// or null when the transaction is unknown or not yet covered by that header.
    /// </summary>
    public Receipt? GetReceipt(Hash transactionId, SignedBlockHeader? against = null)
    {
        var stored = _store.GetTransaction(transactionId);
        var head = against ?? Head;
        if (stored is null || stored.LogIndex >= head.Header.LogSize)
        {
            return null;
        }
        var proof = _log.InclusionProof(stored.LogIndex, head.Header.LogSize);
        return new Receipt(stored.Result, stored.LogIndex, proof, head);
    }

    /// <summary>The receipt as an RFC 9942 COSE receipt: the node key signs the log root the proof leads to.</summary>
    public byte[] CoseReceiptFor(Receipt receipt) =>
        CoseReceipt.Create(_nodeKey, receipt.SignedHeader.Header.LogSize, receipt.LogIndex, receipt.Proof, receipt.SignedHeader.Header.LogRoot);

    /// <summary>RFC 9162 consistency proof between two log sizes, both at most the head's.</summary>
    public IReadOnlyList<Hash> ConsistencyProof(long size1, long size2) => _log.ConsistencyProof(size1, size2);

    /// <summary>The log root at a past size.</summary>
    public Hash LogRootAt(long size) => _log.RootAt(size);
}
