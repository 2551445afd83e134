using CareLedger.Core.Ledger;

namespace CareLedger.Node.Witnessing;

/// <summary>
/// The newest checkpoint of this node that its configured witnesses cosigned (docs/witnessing.md). A witness posts the
/// node's own signed checkpoint with its cosignature line; the node keeps it when the note is its own, names a log it
/// holds (same size, root and block) and carries a cosignature by a configured witness. The latest is kept in the store's
/// meta table, so it outlives a restart, and receipts against it carry it (<c>?witnessed=true</c>).
/// </summary>
public sealed class WitnessedCheckpoints
{
    private const string MetaKey = "witnessed-checkpoint";

    private readonly LedgerNode _node;
    private readonly Lock _gate = new();
    private (Checkpoint Checkpoint, string Note)? _latest;

    /// <summary>Witnesses whose cosignatures the node accepts; the latest accepted note is read back from the store.</summary>
    public WitnessedCheckpoints(LedgerNode node, IReadOnlyList<Witness> witnesses)
    {
        _node = node;
        Witnesses = witnesses;
        if (node.Store.GetMeta(MetaKey) is { } stored)
        {
            var note = System.Text.Encoding.UTF8.GetString(stored);
            _latest = (Checkpoint.Open(note, [node.NodePublicKey]), note);
        }
    }

    /// <summary>The configured witnesses.</summary>
    public IReadOnlyList<Witness> Witnesses { get; }

    /// <summary>The newest cosigned checkpoint (the node's note with every accepted cosignature line), or null.</summary>
    public (Checkpoint Checkpoint, string Note)? Latest
    {
        get
        {
            lock (_gate)
            {
                return _latest;
            }
        }
    }

    /// <summary>
    /// Takes the cosignatures of configured witnesses from <paramref name="note"/>. Returns their names, or a refusal code
    /// and reason: <c>checkpoint.malformed</c>, <c>checkpoint.not_ours</c>, <c>checkpoint.unknown_log</c>,
    /// <c>checkpoint.no_witness</c> (no configured witness cosigned it), <c>checkpoint.bad_cosignature</c>.
    /// </summary>
    public (IReadOnlyList<string> Witnesses, string? Code, string? Reason) Accept(string note)
    {
        Checkpoint checkpoint;
        (string Body, IReadOnlyList<(string Name, byte[] Signature)> Signatures) split;
        try
        {
            split = Checkpoint.SplitNote(note);
            checkpoint = Checkpoint.ParseBody(split.Body);
        }
        catch (FormatException ex)
        {
            return ([], "checkpoint.malformed", ex.Message);
        }
        try
        {
            Checkpoint.Open(note, [_node.NodePublicKey]);
        }
        catch (FormatException ex)
        {
            return ([], "checkpoint.not_ours", $"The note is not a checkpoint this node signed: {ex.Message}");
        }
        if (!Holds(checkpoint))
        {
            return ([], "checkpoint.unknown_log", $"This node's log has no size {checkpoint.Size} with that root at block {checkpoint.Height}.");
        }
        var cosigners = new List<string>();
        foreach (var witness in Witnesses)
        {
            try
            {
                if (witness.CosignedAt(split.Body, split.Signatures) is not null)
                {
                    cosigners.Add(witness.Name);
                }
            }
            catch (FormatException ex)
            {
                return ([], "checkpoint.bad_cosignature", ex.Message);
            }
        }
        if (cosigners.Count == 0)
        {
            return ([], "checkpoint.no_witness", "No witness this node is configured with cosigned the checkpoint.");
        }
        Keep(checkpoint, split, cosigners);
        return (cosigners, null, null);
    }

    private bool Holds(Checkpoint checkpoint)
    {
        var head = _node.Engine.Head.Header;
        return checkpoint.Origin == Checkpoint.OriginOf(head.Chain) && checkpoint.Size <= head.LogSize && checkpoint.Height <= head.Height
               && _node.Store.GetHeader(checkpoint.Height) is { } signed && signed.Header.Hash == checkpoint.HeaderHash
               && signed.Header.LogSize == checkpoint.Size && signed.Header.LogRoot == checkpoint.Root;
    }

    // The kept note has the node's signature and the lines of configured witnesses only; a later checkpoint replaces it,
    // another cosignature of the same one is added to it.
    private void Keep(Checkpoint checkpoint, (string Body, IReadOnlyList<(string Name, byte[] Signature)> Signatures) split, List<string> cosigners)
    {
        lock (_gate)
        {
            if (_latest is { } latest && latest.Checkpoint.Size > checkpoint.Size)
            {
                return;
            }
            var lines = new Dictionary<string, string>(StringComparer.Ordinal);
            if (_latest is { } same && same.Checkpoint == checkpoint)
            {
                foreach (var (name, signature) in Checkpoint.SplitNote(same.Note).Signatures)
                {
                    lines[name] = Checkpoint.SignatureLine(name, signature);
                }
            }
            var nodeName = Checkpoint.KeyNameOf(checkpoint.Origin, _node.NodePublicKey);
            foreach (var (name, signature) in split.Signatures.Where(s => s.Name == nodeName || cosigners.Contains(s.Name)))
            {
                lines[name] = Checkpoint.SignatureLine(name, signature);
            }
            var note = split.Body + "\n" + string.Concat(lines.OrderBy(l => l.Key != nodeName).ThenBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Value));
            _node.Store.PutMeta(MetaKey, System.Text.Encoding.UTF8.GetBytes(note));
            _latest = (checkpoint, note);
        }
    }

    /// <summary>Reads witness verifier keys, one per line (blank lines and lines starting with # ignored).</summary>
    public static IReadOnlyList<Witness> ReadWitnessFile(string path) =>
        File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(Witness.Parse).ToList();
}
