using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using CareLedger.Core.Crypto;

namespace CareLedger.Consensus.Raft;

/// <summary>
/// <c>network.json</c>: where each founding node of a consortium listens. Who may sign headers is in the
/// genesis (consensus-critical); addresses are operational and live here, shared by every node.
/// </summary>
public sealed record NetworkFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The chain the network keeps.</summary>
    public required string Chain { get; init; }

    /// <summary>The founding nodes.</summary>
    public required IReadOnlyList<NetworkMember> Members { get; init; }

    /// <summary>
    /// Mutual TLS between nodes, each presenting a certificate for its ledger node key (<c>network init --tls</c>); a peer is
    /// accepted while its key is a current validator's.
    /// </summary>
    public bool Tls { get; init; }

    /// <summary>The member whose node key is <paramref name="nodeKey"/>, or null.</summary>
    public NetworkMember? Find(KeyId nodeKey) => Members.FirstOrDefault(m => m.NodeKey == nodeKey.ToString());

    /// <summary>Reads and checks a network file; <see cref="FormatException"/> with the reason otherwise.</summary>
    public static NetworkFile Read(string path)
    {
        NetworkFile? file;
        try
        {
            file = JsonSerializer.Deserialize<NetworkFile>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{path} is not a network file: {ex.Message}", ex);
        }
        if (file is null || file.Members.Count == 0)
        {
            throw new FormatException($"{path} names no members.");
        }
        foreach (var m in file.Members)
        {
            _ = m.RaftEndPoint;
            if (!Uri.TryCreate(m.Api, UriKind.Absolute, out _) || !KeyId.TryParse(m.NodeKey, out _))
            {
                throw new FormatException($"{path}: member '{m.Name}' needs an absolute api URL and a node key id (64 hex digits).");
            }
        }
        return file;
    }

    /// <summary>Writes the file (indented JSON).</summary>
    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
}

/// <summary>One node of the network: its name, organisation, validator key id, Raft and API addresses.</summary>
public sealed record NetworkMember(string Name, string Organisation, string NodeKey, string Raft, string Api)
{
    /// <summary>The Raft listen address (<c>host:port</c>, IP literal).</summary>
    [JsonIgnore]
    public IPEndPoint RaftEndPoint => IPEndPoint.TryParse(Raft, out var ep) && ep.Port != 0
        ? ep
        : throw new FormatException($"Member '{Name}': raft address '{Raft}' is not ip:port.");

    /// <summary>The names its certificate carries: the Raft address and the API's host (an IP literal or a DNS name).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Hosts =>
        Uri.TryCreate(Api, UriKind.Absolute, out var api) ? [RaftEndPoint.Address.ToString(), api.IdnHost] : [RaftEndPoint.Address.ToString()];
}
