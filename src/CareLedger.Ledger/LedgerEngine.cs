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
    private readonly NonceWindow _nonces = new();
    private readonly StoreStateReader _state;
    private MerkleLog _log;
    private SignedBlockHeader _head;

    private LedgerEngine(LedgerStore store, BlockExecutor executor, SigningKey nodeKey, GenesisDocument genesis, ILogger logger)
    {
        _store = store;
        _executor = executor;
        _nodeKey = nodeKey;
        _logger = logger;
        _state = new StoreStateReader(store);
        Genesis = genesis;
        _head = store.GetHead() ?? throw new InvalidOperationException("The store has no genesis block.");
        _log = new MerkleLog(store, _head.Header.LogSize);
        foreach (var (signer, nonce, notAfter) in store.GetUnexpiredNonces(_head.Header.Timestamp))
        {
            _nonces.Add(signer, nonce, notAfter);
        }
    }

    /// <summary>The genesis document of this chain.</summary>
    public GenesisDocument Genesis { get; }

    /// <summary>The chain id.</summary>
    public string Chain => Genesis.Chain;

    /// <summary>The signed header of the last committed block.</summary>
    public SignedBlockHeader Head => Volatile.Read(ref _head);

    /// <summary>Committed world state.</summary>
    public IStateReader State => _state;

    /// <summary>Raised after each committed block (on the commit thread).</summary>
    public event Action<Block>? BlockCommitted;

    /// <summary>
    /// Opens the ledger in <paramref name="store"/>, writing the genesis block first when the store is empty.
    /// Refuses (with <see cref="StoreCorruptedException"/>) a store whose head does not verify.
    /// </summary>
    public static LedgerEngine Open(LedgerStore store, BlockExecutor executor, SigningKey nodeKey, GenesisDocument genesis,
        IReadOnlyList<StateWrite> genesisState, ILogger logger)
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
        HeadCheck.Verify(store, genesis);
        return new LedgerEngine(store, executor, nodeKey, genesis, logger);
    }

    private static void WriteGenesis(LedgerStore store, SigningKey nodeKey, GenesisDocument genesis, IReadOnlyList<StateWrite> genesisState)
    {
        var ordered = genesisState.OrderBy(w => w.Key, StringComparer.Ordinal).ToList();
        var writesDigest = StateOverlay.DigestOf(ordered.Select(w => KeyValuePair.Create(w.Key, w.Value)));
        var header = new BlockHeader(genesis.Chain, 0, genesis.ComputeHash(), genesis.Timestamp, 0, MerkleHasher.EmptyRoot,
            0, MerkleHasher.EmptyRoot, StateOverlay.ChainStateDigest(Hash.Zero, writesDigest), nodeKey.Id);
        store.PutMeta("genesis", genesis.Encode());
        store.Commit(new BlockCommit
        {
            Block = new Block(SignedBlockHeader.Sign(header, nodeKey), [], []),
            FirstLogIndex = 0,
            MerkleNodes = [],
            StateWrites = ordered,
        });
    }

    /// <summary>Executes and commits one ordered batch as the next block.</summary>
    public Block Commit(OrderedBatch batch)
    {
        var previous = Head.Header;
        var height = previous.Height + 1;
        var context = new BlockContext(Chain, height, Math.Max(batch.Timestamp, previous.Timestamp));
        var executed = _executor.Execute(context, batch.Transactions, _state, _nonces);

        var firstLogIndex = _log.Size;
        var nodes = new List<MerkleNode>();
        try
        {
            foreach (var result in executed.Results)
            {
                nodes.AddRange(_log.Append(TransactionResultCodec.LeafHash(result)));
            }
            var txRoot = MemoryMerkleNodeStore.BuildLog(batch.Transactions.Select(t => t.Id.Span.ToArray())).Root();
            var header = new BlockHeader(Chain, height, previous.Hash, context.Timestamp, batch.Transactions.Count, txRoot,
                _log.Size, _log.Root(), StateOverlay.ChainStateDigest(previous.StateDigest, executed.WritesDigest), _nodeKey.Id);
            var block = new Block(SignedBlockHeader.Sign(header, _nodeKey), batch.Transactions, executed.Results);
            _store.Commit(new BlockCommit
            {
                Block = block,
                FirstLogIndex = firstLogIndex,
                MerkleNodes = nodes,
                StateWrites = executed.BlockWrites.Writes.Select(w => new StateWrite(w.Key, w.Value)).ToList(),
            });
            Volatile.Write(ref _head, block.SignedHeader);
            Log.BlockCommitted(_logger, height, batch.Transactions.Count, header.Hash);
            BlockCommitted?.Invoke(block);
            return block;
        }
        catch
        {
            // The SQL transaction rolled back: rebuild the in-memory frontier from what is stored.
            _log = new MerkleLog(_store, Head.Header.LogSize);
            throw;
        }
    }

    /// <summary>Commits every batch the orderer produces until cancelled.</summary>
    public async Task RunAsync(IOrderingService ordering, CancellationToken cancellationToken)
    {
        await foreach (var batch in ordering.ReadBatchesAsync(cancellationToken))
        {
            Commit(batch);
        }
    }

    /// <summary>A receipt for a committed transaction against the current head, or null when unknown.</summary>
    public Receipt? GetReceipt(Hash transactionId)
    {
        var stored = _store.GetTransaction(transactionId);
        if (stored is null)
        {
            return null;
        }
        var head = Head;
        var proof = _log.InclusionProof(stored.LogIndex, head.Header.LogSize);
        return new Receipt(stored.Result, stored.LogIndex, proof, head);
    }

    /// <summary>RFC 9162 consistency proof between two log sizes, both at most the head's.</summary>
    public IReadOnlyList<Hash> ConsistencyProof(long size1, long size2) => _log.ConsistencyProof(size1, size2);

    /// <summary>The log root at a past size.</summary>
    public Hash LogRootAt(long size) => _log.RootAt(size);
}
