using System.Collections.Concurrent;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Storage;
using Microsoft.Extensions.Logging;

namespace CareLedger.Consensus.Raft;

/// <summary>
/// Block certification. Each node signs the header it computed and sends that vote through the Raft log;
/// every node records the votes in log order. A header with votes from a majority of validators is
/// certified. A validator that voted for another header than the majority is faulty: its votes no longer
/// count, and the evidence (its signed vote) is kept. If the majority voted for another header than
/// this node computed, this node stops applying: it has diverged and says so.
/// </summary>
public sealed class Certification(LedgerStore store, SigningKey nodeKey, Func<IReadOnlyDictionary<KeyId, PublicKey>> validators, ILogger logger)
{
    private readonly ConcurrentQueue<HeaderVote> _outbox = new();
    private IReadOnlySet<KeyId>? _faulty;

    /// <summary>Votes needed to certify a header: more than half of the validators.</summary>
    public int Majority => (validators().Count / 2) + 1;

    /// <summary>Set once this node's chain disagrees with a certified majority; the node then stops applying.</summary>
    public DivergenceEvidence? Divergence { get; private set; }

    /// <summary>This node's vote for a block it just committed; sent by the consensus loop.</summary>
    public void Vote(Block block) =>
        _outbox.Enqueue(new HeaderVote(block.Header.Height, block.Header.Hash,
            new HeaderSignature(nodeKey.Id, nodeKey.Sign(block.Header.Hash.Span))));

    /// <summary>Takes up to <paramref name="max"/> unsent votes.</summary>
    public List<HeaderVote> TakeOutbox(int max = 1000)
    {
        var taken = new List<HeaderVote>();
        while (taken.Count < max && _outbox.TryDequeue(out var vote))
        {
            taken.Add(vote);
        }
        return taken;
    }

    /// <summary>Puts back votes that could not be sent.</summary>
    public void Return(IEnumerable<HeaderVote> votes)
    {
        foreach (var vote in votes)
        {
            _outbox.Enqueue(vote);
        }
    }

    /// <summary>
    /// Records a votes entry, with <paramref name="meta"/> (Raft bookkeeping) in the same SQL transaction.
    /// Votes by non-validators, with bad signatures, for heights this node has not reached, or by validators
    /// already shown faulty are ignored. Throws <see cref="ConsensusDivergenceException"/> when the
    /// majority certified a header this node did not compute.
    /// </summary>
    public void Apply(IReadOnlyList<HeaderVote> votes, IReadOnlyList<KeyValuePair<string, byte[]>> meta)
    {
        var keys = validators();
        var faulty = FaultyValidators();
        var head = store.GetHead()!.Header.Height;
        var valid = votes.Where(v => v.Height <= head && !faulty.Contains(v.Signature.Signer)
                                     && keys.TryGetValue(v.Signature.Signer, out var key)
                                     && key.Verify(v.HeaderHash.Span, v.Signature.Signature.Span)).ToList();
        store.AddHeaderVotes(valid, meta);
        foreach (var height in valid.Select(v => v.Height).Distinct())
        {
            CheckAgreement(height, faulty);
        }
    }

    private void CheckAgreement(long height, IReadOnlySet<KeyId> faulty)
    {
        var own = store.GetHeader(height)!.Header.Hash;
        var votes = store.GetHeaderVotes(height);
        if (votes.All(v => v.HeaderHash == own))
        {
            return;
        }
        _faulty = null;
        var byHeader = votes.Where(v => !faulty.Contains(v.Signature.Signer)).GroupBy(v => v.HeaderHash);
        foreach (var group in byHeader)
        {
            if (group.Key != own && group.Count() >= Majority)
            {
                Divergence = new DivergenceEvidence(height, own, group.Key, group.Select(v => v.Signature).ToList());
                Log.Diverged(logger, height, own, group.Key);
                throw new ConsensusDivergenceException(Divergence);
            }
        }
        foreach (var vote in votes.Where(v => v.HeaderHash != own && !faulty.Contains(v.Signature.Signer)))
        {
            Log.FaultyValidator(logger, vote.Signature.Signer, height, vote.HeaderHash, own);
        }
    }

    /// <summary>Validators that signed a header other than the one certified at that height.</summary>
    public IReadOnlySet<KeyId> FaultyValidators() =>
        _faulty ??= FaultEvidence().Select(e => e.Signature.Signer).ToHashSet();

    /// <summary>Every vote that contradicts a header this node holds and a majority certified.</summary>
    public IReadOnlyList<HeaderVote> FaultEvidence() => store.GetDisagreeingVotes().Where(v => IsCertified(v.Height)).ToList();

    private bool IsCertified(long height)
    {
        var header = store.GetHeader(height);
        return header is not null && store.GetHeaderVotes(height).Count(v => v.HeaderHash == header.Header.Hash) >= Majority;
    }

    /// <summary>
    /// The highest certified header at or above <paramref name="minLogSize"/>, with the majority's signatures;
    /// null when no such header is certified yet.
    /// </summary>
    public SignedBlockHeader? CertifiedHeader(long minLogSize = 0)
    {
        if (store.GetHighestCertifiedHeight(Majority) is not { } height || store.GetHeader(height) is not { } header
            || header.Header.LogSize < minLogSize)
        {
            return null;
        }
        var signatures = store.GetHeaderVotes(height).Where(v => v.HeaderHash == header.Header.Hash).Select(v => v.Signature).ToList();
        return new SignedBlockHeader(header.Header, signatures);
    }
}

/// <summary>What a diverged node shows: its header, the header the majority certified, and their signatures.</summary>
public sealed record DivergenceEvidence(long Height, Hash OwnHeader, Hash MajorityHeader, IReadOnlyList<HeaderSignature> MajoritySignatures);

/// <summary>This node computed a different header than a majority of validators certified.</summary>
public sealed class ConsensusDivergenceException(DivergenceEvidence evidence)
    : Exception($"Block {evidence.Height}: this node computed header {evidence.OwnHeader}, but a majority certified {evidence.MajorityHeader}. Applying stops.")
{
    public DivergenceEvidence Evidence { get; } = evidence;
}
