using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CareLedger.Node.Tests;

/// <summary>The node as a separate OS process (dotnet CareLedger.Node.dll), so it can be SIGKILLed.</summary>
public sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly StringBuilder _stdout = new();

    private NodeProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        _process.ErrorDataReceived += (_, e) => { lock (_stderr) { _stderr.AppendLine(e.Data); } };
        _process.OutputDataReceived += (_, e) => { lock (_stderr) { _stdout.AppendLine(e.Data); } };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    public Uri Address { get; }

    public string StandardError { get { lock (_stderr) { return _stderr.ToString(); } } }

    /// <summary>Everything the node logged, on both streams.</summary>
    public string Logs { get { lock (_stderr) { return _stdout.ToString() + _stderr; } } }

    public static NodeProcess Start(string dataDirectory, params string[] extraArguments) =>
        StartAt(dataDirectory, new Uri($"http://127.0.0.1:{FreePort()}/"), extraArguments);

    /// <summary>Starts a node listening on <paramref name="address"/>.</summary>
    public static NodeProcess StartAt(string dataDirectory, Uri address, params string[] extraArguments) => StartAt([], dataDirectory, address, extraArguments);

    /// <summary>
    /// Starts a node listening on <paramref name="address"/> through <paramref name="launcher"/> (a command that runs it elsewhere,
    /// such as <c>ip netns exec NS</c>, which execs into it: the process is still the node's).
    /// </summary>
    public static NodeProcess StartAt(IReadOnlyList<string> launcher, string dataDirectory, Uri address, params string[] extraArguments)
    {
        var info = new ProcessStartInfo(launcher.Count > 0 ? launcher[0] : "dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in launcher.Skip(1).Concat(launcher.Count > 0 ? ["dotnet"] : []))
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "CareLedger.Node.dll"), "--data", dataDirectory, "--urls", address.ToString().TrimEnd('/') }.Concat(extraArguments))
        {
            info.ArgumentList.Add(arg);
        }
        return new NodeProcess(Process.Start(info)!, address);
    }

    /// <summary>Waits until /health answers; false if the process exits first or the timeout passes.</summary>
    public async Task<bool> WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                return false;
            }
            try
            {
                using var response = await http.GetAsync(new Uri(Address, "health"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        return false;
    }

    /// <summary>Waits for the process to end by itself; returns its exit code, or null on timeout.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            _process.WaitForExit();
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing; what was acknowledged must already be on disk.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit();
        }
    }

    /// <summary>
    /// SIGSTOP: the process stops answering while the kernel still accepts its connections and buffers what peers send, so its peers'
    /// requests hang instead of being refused, the way a cut network link behaves. <see cref="Resume"/> sends SIGCONT.
    /// </summary>
    public void Pause() => Signal(19);

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Signal(18);

    private void Signal(int signal)
    {
        if (!_process.HasExited && SendSignal(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed.");
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    public void Dispose()
    {
        Resume();
        Kill();
        _process.Dispose();
    }

    private static readonly HashSet<int> Given = [];

    /// <summary>True while the process runs.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>
    /// A TCP port nobody listens on right now, below the kernel's ephemeral range: the nodes' own outgoing
    /// connections take ephemeral ports, and one of them must not land on a port a node is about to bind.
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            lock (Given)
            {
                if (!Given.Add(port))
                {
                    continue;
                }
            }
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
    }
}
