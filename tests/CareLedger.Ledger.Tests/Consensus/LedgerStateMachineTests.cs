using CareLedger.Consensus.Raft;
using CareLedger.Ledger.Ordering;
using CareLedger.Testing;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging.Abstractions;

namespace CareLedger.Ledger.Tests.Consensus;

[Collection("disk")]
public sealed class LedgerStateMachineTests : IDisposable
{
    private readonly TestChain _chain = TestChain.InMemory();
    private readonly string _logDirectory = Path.Combine(Path.GetTempPath(), "careledger-wal-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _chain.Dispose();
        Directory.Delete(_logDirectory, recursive: true);
    }

    private LedgerStateMachine StateMachine()
    {
        var validators = new Dictionary<Core.Crypto.KeyId, Core.Crypto.PublicKey> { [_chain.NodeKey.Id] = _chain.NodeKey.PublicKey };
        var certification = new Certification(_chain.Store, _chain.NodeKey, () => validators, NullLogger.Instance);
        return new LedgerStateMachine(_chain.Engine, _chain.Store, certification, NullLogger.Instance);
    }

    // The leader's own batch of one transaction, appended in term 1 with its parse as the entry's context, as RaftConsensus replicates it.
    private async Task<long> AppendOwnBatchAsync(WriteAheadLog wal, Core.Ledger.Transaction transaction)
    {
        var bytes = new RaftEntry.BatchEntry(_chain.Now + 1000, _chain.NodeKey.Id, [transaction.Encoded]).Encode();
        return await wal.AppendAsync(new BinaryLogEntry
        {
            Content = bytes,
            Term = 1,
            Context = new ReplicatedBatch(bytes, new OrderedBatch(_chain.Now + 1000, [transaction], _chain.NodeKey.Id)),
        });
    }

    private async Task CommitAndApplyAsync(WriteAheadLog wal, long index)
    {
        await wal.CommitAsync(index);
        await wal.WaitForApplyAsync(index, CancellationToken.None);
        await _chain.Engine.FlushAsync();
    }

    [Fact]
    public async Task An_uncommitted_entry_overwritten_by_a_later_leader_is_applied_from_the_committed_bytes_not_from_the_old_leaders_parse()
    {
        await using var wal = new WriteAheadLog(new WriteAheadLog.Options { Location = _logDirectory }, StateMachine());
        // The old leader's batch never reaches a majority.
        var own = _chain.Anchor();
        var index = await AppendOwnBatchAsync(wal, own);

        // The new leader of term 2 overwrites that index with its batch, which a majority commits.
        var committed = _chain.Anchor();
        var theirs = new RaftEntry.BatchEntry(_chain.Now + 2000, _chain.NodeKey.Id, [committed.Encoded]).Encode();
        await wal.AppendAsync(new BinaryLogEntry { Content = theirs, Term = 2 }, index);
        await CommitAndApplyAsync(wal, index);

        Assert.Equal(1, _chain.Engine.Head.Header.Height);
        Assert.NotNull(_chain.Store.GetTransaction(committed.Id));
        Assert.Null(_chain.Store.GetTransaction(own.Id));
    }

    [Fact]
    public async Task The_leaders_own_committed_entry_is_applied_from_its_parse()
    {
        var machine = StateMachine();
        await using var wal = new WriteAheadLog(new WriteAheadLog.Options { Location = _logDirectory }, machine);
        var own = _chain.Anchor();
        var index = await AppendOwnBatchAsync(wal, own);
        await CommitAndApplyAsync(wal, index);

        Assert.NotNull(_chain.Store.GetTransaction(own.Id));
        Assert.Equal(index, machine.AppliedIndex);
    }
}
