using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace CareLedger.Ledger.Audit;

/// <summary>
/// Enumerates a sequence on another thread, a few items ahead of its consumer: an audit reads and decodes the next blocks
/// from SQLite while it re-executes this one. An exception the source throws surfaces where its item would have, after
/// every item before it.
/// </summary>
internal static class ReadAhead
{
    public static IEnumerable<T> Of<T>(IEnumerable<T> source, int ahead)
    {
        using var items = new BlockingCollection<T>(ahead);
        using var stop = new CancellationTokenSource();
        ExceptionDispatchInfo? failure = null;
        var reader = Task.Run(() =>
        {
            try
            {
                foreach (var item in source)
                {
                    items.Add(item, stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
            finally
            {
                items.CompleteAdding();
            }
        });
        try
        {
            foreach (var item in items.GetConsumingEnumerable())
            {
                yield return item;
            }
            reader.GetAwaiter().GetResult();
            failure?.Throw();
        }
        finally
        {
            // A consumer that stops early (a failure found) ends the reader before the store it reads from is closed.
            stop.Cancel();
            reader.Wait();
        }
    }
}
