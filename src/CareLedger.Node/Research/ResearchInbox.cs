using System.Text.Json;
using CareLedger.Vault;

namespace CareLedger.Node.Research;

/// <summary>
/// The site's private map from the invitations it sent to the patients they went to. The ledger holds only the invitation ids;
/// who is behind them stays with the custodian, so a sponsor never learns a non-enrolled patient. Being invited says something
/// about a patient's health, so the map is kept encrypted in the vault (<c>vault/research/inbox.address</c> names the current
/// version; the previous one is shredded on each change).
/// </summary>
public sealed class ResearchInbox(DocumentVault vault, string directory)
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
            var previous = CurrentAddress();
            var stored = vault.Put(JsonSerializer.SerializeToUtf8Bytes(entries), "application/json");
            Directory.CreateDirectory(directory);
            var temp = PointerPath + ".tmp";
            File.WriteAllText(temp, stored.Address);
            File.Move(temp, PointerPath, overwrite: true);
            if (previous is not null && previous != stored.Address)
            {
                vault.Erase(previous);
            }
        }
    }

    private Dictionary<string, InboxEntry> Entries() => _entries ??= CurrentAddress() is { } address
        ? JsonSerializer.Deserialize<Dictionary<string, InboxEntry>>(vault.Get(address)) ?? []
        : [];

    private string? CurrentAddress() => File.Exists(PointerPath) ? File.ReadAllText(PointerPath).Trim() : null;

    private string PointerPath => Path.Combine(directory, "inbox.address");
}

/// <summary>Who an invitation went to, and for which trial.</summary>
public sealed record InboxEntry(string Patient, string Trial);
