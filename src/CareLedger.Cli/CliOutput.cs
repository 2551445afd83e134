using System.Text.Json;

namespace CareLedger.Cli;

/// <summary>Console output: JSON results on stdout, reasons and progress on stderr (progress only on a terminal).</summary>
internal sealed class CliOutput(TextWriter stdout, TextWriter stderr, bool interactive)
{
    private static readonly JsonSerializerOptions Pretty = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static CliOutput Console() => new(System.Console.Out, System.Console.Error, !System.Console.IsErrorRedirected);

    public TextWriter Out => stdout;

    public void Json<T>(T value) => stdout.WriteLine(JsonSerializer.Serialize(value, Pretty));

    public void Line(string text) => stdout.WriteLine(text);

    public int Fail(int code, string reason)
    {
        stderr.WriteLine($"careledger: {reason}");
        return code;
    }

    /// <summary>A progress reporter that redraws one line on a terminal and stays silent when piped.</summary>
    public IProgress<long> Progress(string what, long? total = null) => new SyncProgress(n =>
    {
        if (interactive)
        {
            stderr.Write(total is { } t ? $"\r{what}: {n:N0}/{t:N0}   " : $"\r{what}: {n:N0}   ");
        }
    });

    public void EndProgress()
    {
        if (interactive)
        {
            stderr.WriteLine();
        }
    }

    // Progress<T> posts to the thread pool; a long audit wants its reports in order, on the calling thread.
    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        private long _last = -1;

        public void Report(long value)
        {
            if (value / 1000 != _last / 1000 || value - _last >= 1000)
            {
                _last = value;
                report(value);
            }
        }
    }
}
