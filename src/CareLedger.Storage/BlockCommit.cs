using CareLedger.Core.Ledger;
using CareLedger.Core.Merkle;

namespace CareLedger.Storage;

/// <summary>Everything one block writes, applied in one SQL transaction.</summary>
public sealed record BlockCommit
{
    /// <summary>The block with its signed header.</summary>
    public required Block Block { get; init; }

    /// <summary>The canonical encoding of each result (the log's leaf inputs), computed once by the engine.</summary>
    public required IReadOnlyList<byte[]> EncodedResults { get; init; }

    /// <summary>Log index of the block's first result (= log size before the block).</summary>
    public required long FirstLogIndex { get; init; }

    /// <summary>Merkle nodes the block's results created.</summary>
    public required IReadOnlyList<MerkleNode> MerkleNodes { get; init; }

    /// <summary>Final state writes of the block, one per key.</summary>
    public required IReadOnlyList<StateWrite> StateWrites { get; init; }

    /// <summary>Node bookkeeping written in the same SQL transaction (e.g. the Raft index the block came from).</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> Meta { get; init; } = [];
}
