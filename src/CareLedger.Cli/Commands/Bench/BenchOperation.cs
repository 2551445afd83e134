using System.Collections.Concurrent;
using CareLedger.Client;
using CareLedger.Client.Wire;
using CareLedger.Core.Ledger;

namespace CareLedger.Cli.Commands.Bench;

/// <summary>One kind of call a workload makes (a dispense, a FHIR read), timed per call.</summary>
internal abstract class BenchOperation(string name)
{
    /// <summary>The workload name of the call, as reported (<c>dispense</c>, <c>fhir-read</c>).</summary>
    public string Name => name;

    /// <summary>Transactions one call carries (a batch's size; one for a FHIR call: its access entry or registration).</summary>
    public virtual int TransactionsPerCall => 1;

    /// <summary>
    /// Makes one call and returns one outcome per transaction it carried (a FHIR call carries one: its access entry or
    /// its record registration); null when there is nothing left to send.
    /// </summary>
    public abstract Task<IReadOnlyList<SubmitOutcome>?> CallAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Transactions signed before the load, so that the load generator's signing does not compete with the node for the same
/// cores, sent one per request or in batches (a batch's body is serialised while signing too).
/// </summary>
internal sealed class SignedTransactions : BenchOperation
{
    private readonly CareLedgerClient _node;
    private readonly ConcurrentQueue<(Transaction? Single, byte[] Body)> _requests;

    private SignedTransactions(string name, CareLedgerClient node, ConcurrentQueue<(Transaction?, byte[])> requests, int batchSize) : base(name)
    {
        _node = node;
        _requests = requests;
        TransactionsPerCall = batchSize;
    }

    public override int TransactionsPerCall { get; }

    /// <summary>Signs <paramref name="count"/> transactions made by <paramref name="make"/> (in parallel, any order of calls).</summary>
    public static SignedTransactions Sign(string name, CareLedgerClient node, int count, int batchSize, Func<int, Transaction> make)
    {
        var transactions = new Transaction[count];
        Parallel.For(0, count, i => transactions[i] = make(i));
        var requests = transactions.Chunk(batchSize).AsParallel().AsOrdered()
            .Select(c => batchSize == 1 ? ((Transaction?)c[0], Array.Empty<byte>()) : (null, CareLedgerClient.EncodeBatch(c)));
        return new SignedTransactions(name, node, new ConcurrentQueue<(Transaction?, byte[])>(requests), batchSize);
    }

    public override async Task<IReadOnlyList<SubmitOutcome>?> CallAsync(CancellationToken cancellationToken)
    {
        if (!_requests.TryDequeue(out var request))
        {
            return null;
        }
        return request.Single is { } single
            ? [await _node.SubmitAsync(single, TimeSpan.FromSeconds(30), cancellationToken)]
            : (await _node.SubmitEncodedBatchAsync(request.Body, TimeSpan.FromSeconds(30), cancellationToken)).Results;
    }
}

/// <summary>
/// A call to the FHIR gatekeeper: success is the status it should answer; anything else is reported as <c>http.{status}</c>.
/// </summary>
internal sealed class FhirCall(string name, int success, Func<CancellationToken, Task<(int Status, string Body)>> call) : BenchOperation(name)
{
    public override async Task<IReadOnlyList<SubmitOutcome>?> CallAsync(CancellationToken cancellationToken)
    {
        var (status, body) = await call(cancellationToken);
        return [status == success ? new SubmitOutcome(null, "committed") : new SubmitOutcome(null, "refused", $"http.{status}", body.Length > 200 ? body[..200] : body)];
    }
}
