using System.Net;
using System.Text;
using DotNext.Buffers;
using DotNext.Net.Cluster.Consensus.Raft.Membership;

namespace CareLedger.Consensus.Raft;

/// <summary>
/// Raft membership held in memory and seeded at start-up from the network file and the ledger's
/// governance records (both durable), so no second source of truth for members exists on disk.
/// </summary>
internal sealed class EndPointConfigurationStorage : InMemoryClusterConfigurationStorage<EndPoint>
{
    public EndPointConfigurationStorage(IEnumerable<IPEndPoint> members)
    {
        var builder = CreateInitialConfigurationBuilder();
        foreach (var member in members)
        {
            builder.Add(member);
        }
        builder.Build();
    }

    protected override void Encode(EndPoint address, ref BufferWriterSlim<byte> output)
    {
        var text = Encoding.UTF8.GetBytes(address.ToString()!);
        output.Add((byte)text.Length);
        output.Write(text);
    }

    protected override EndPoint Decode(ref SequenceReader input)
    {
        Span<byte> length = stackalloc byte[1];
        input.Read(length);
        var text = new byte[length[0]];
        input.Read(text);
        return IPEndPoint.Parse(Encoding.UTF8.GetString(text));
    }
}
