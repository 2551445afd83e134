using System.Diagnostics;

namespace CareLedger.Node.Tests;

/// <summary>
/// Machines on a network, made of Linux network namespaces: one per node, each with its own address on a bridge, so that a
/// link can be cut the way real networks fail. A cut link (its bridge port down) drops packets both ways: connects and
/// requests hang instead of being refused, which a killed process on one machine never shows. Needs root and iproute2
/// (CI installs it); everything it made is removed on <see cref="Dispose"/>, and leftovers of an earlier run that died are
/// removed first.
/// </summary>
public sealed class NetworkLab : IDisposable
{
    private const string Prefix = "clab";
    private readonly string _id = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()))[..4];
    private readonly int _subnet = Random.Shared.Next(0, 250);
    private readonly int _size;

    public NetworkLab(int size)
    {
        _size = size;
        RemoveLeftovers();
        Ip($"link add {Bridge} type bridge");
        Ip($"addr add 10.199.{_subnet}.1/24 dev {Bridge}");
        Ip($"link set {Bridge} up");
        for (var i = 1; i <= size; i++)
        {
            Ip($"netns add {Namespace(i)}");
            Ip($"link add {HostSide(i)} type veth peer name {Prefix}{_id}p{i}");
            Ip($"link set {HostSide(i)} master {Bridge} up");
            Ip($"link set {Prefix}{_id}p{i} netns {Namespace(i)}");
            Ip($"netns exec {Namespace(i)} ip addr add {Address(i)}/24 dev {Prefix}{_id}p{i}");
            Ip($"netns exec {Namespace(i)} ip link set {Prefix}{_id}p{i} up");
            Ip($"netns exec {Namespace(i)} ip link set lo up");
        }
    }

    /// <summary>True where namespaces can be made: root, with iproute2.</summary>
    public static bool Available => Environment.UserName == "root" && (File.Exists("/usr/sbin/ip") || File.Exists("/sbin/ip") || File.Exists("/usr/bin/ip"));

    private string Bridge => $"{Prefix}{_id}br";

    private string HostSide(int machine) => $"{Prefix}{_id}h{machine}";

    /// <summary>The namespace of machine <paramref name="machine"/> (1-based).</summary>
    public string Namespace(int machine) => $"{Prefix}{_id}n{machine}";

    /// <summary>The address of machine <paramref name="machine"/>.</summary>
    public string Address(int machine) => $"10.199.{_subnet}.{10 + machine}";

    /// <summary>Cuts the machine's link: what it sends and what is sent to it is dropped.</summary>
    public void Cut(int machine) => Ip($"link set {HostSide(machine)} down");

    /// <summary>Restores the machine's link.</summary>
    public void Heal(int machine) => Ip($"link set {HostSide(machine)} up");

    /// <summary>The command prefix that runs a program on the machine.</summary>
    public IReadOnlyList<string> Launcher(int machine) => ["ip", "netns", "exec", Namespace(machine)];

    public void Dispose()
    {
        for (var i = 1; i <= _size; i++)
        {
            TryIp($"netns delete {Namespace(i)}");
            TryIp($"link delete {HostSide(i)}");
        }
        TryIp($"link delete {Bridge}");
    }

    // Namespaces and links of a test process that was killed before it could clean up.
    private static void RemoveLeftovers()
    {
        foreach (var line in Output("ip", "netns list").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ')[0];
            if (name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                TryIp($"netns delete {name}");
            }
        }
        foreach (var line in Output("ip", "-o link show").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(':', 3)[1].Trim().Split('@')[0];
            if (name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                TryIp($"link delete {name}");
            }
        }
    }

    private static void Ip(string arguments)
    {
        var (exit, output) = Execute("ip", arguments);
        if (exit != 0)
        {
            throw new InvalidOperationException($"ip {arguments} failed ({exit}): {output}");
        }
    }

    private static void TryIp(string arguments) => Execute("ip", arguments);

    private static string Output(string program, string arguments) => Execute(program, arguments).Output;

    private static (int Exit, string Output) Execute(string program, string arguments)
    {
        var info = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
