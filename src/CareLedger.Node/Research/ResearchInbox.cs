using System.Text.Json;

namespace CareLedger.Node.Research;

/// <summary>
/// The site's private map from the invitations it sent to the patients they went to (<c>vault/research/inbox.json</c>). The ledger
/// holds only the invitation ids; who is behind them stays with the custodian, so a sponsor never learns a non-enrolled patient.
/// </summary>
public sealed class ResearchInbox(string directory)
{
    private readonly Lock _gate = new();
    private Dictionary<string, InboxEntry>? _entries;

    /// <summary>The patient and trial of an invitation, or null.</summary>
    public InboxEntry? Find(string invitation)
    {
        lock (_gate)
        {
            return Entries().GetValueOrDefault(invitation);
        }
    }

    /// <summary>The invitations sent to <paramref name="patient"/>.</summary>
    public IReadOnlyList<(string Invitation, InboxEntry Entry)> Of(string patient)
    {
        lock (_gate)
        {
            return Entries().Where(e => e.Value.Patient == patient).Select(e => (e.Key, e.Value)).ToList();
        }
    }

    /// <summary>The patients already invited to <paramref name="trial"/>.</summary>
    public IReadOnlySet<string> InvitedTo(string trial)
    {
        lock (_gate)
        {
            return Entries().Values.Where(e => e.Trial == trial).Select(e => e.Patient).ToHashSet(StringComparer.Ordinal);
        }
    }

    /// <summary>Adds invitations (before they go on the ledger, so that none on the ledger is without its patient).</summary>
    public void Add(IEnumerable<(string Invitation, InboxEntry Entry)> invitations) => Update(entries =>
    {
        foreach (var (id, entry) in invitations)
        {
            entries[id] = entry;
        }
    });

    /// <summary>Removes invitations the ledger refused.</summary>
    public void Remove(IEnumerable<string> invitations) => Update(entries =>
    {
        foreach (var id in invitations)
        {
            entries.Remove(id);
        }
    });

    private void Update(Action<Dictionary<string, InboxEntry>> change)
    {
        lock (_gate)
        {
            var entries = Entries();
            change(entries);
            Directory.CreateDirectory(directory);
            var temp = PathOf + ".tmp";
            File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(entries));
            File.Move(temp, PathOf, overwrite: true);
        }
    }

    private Dictionary<string, InboxEntry> Entries() => _entries ??= File.Exists(PathOf)
        ? JsonSerializer.Deserialize<Dictionary<string, InboxEntry>>(File.ReadAllBytes(PathOf)) ?? []
        : [];

    private string PathOf => Path.Combine(directory, "inbox.json");
}

/// <summary>Who an invitation went to, and for which trial.</summary>
public sealed record InboxEntry(string Patient, string Trial);
