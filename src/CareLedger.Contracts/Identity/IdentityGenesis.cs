using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Storage;

namespace CareLedger.Contracts.Identity;

/// <summary>The identity state a genesis document founds: its organisations, their keys, the validators and the governance rule.</summary>
public static class IdentityGenesis
{
    /// <summary>The state writes of the genesis block.</summary>
    public static IReadOnlyList<StateWrite> StateFor(GenesisDocument genesis)
    {
        var writes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var org in genesis.Organisations)
        {
            writes[IdentityKeys.Organisation(org.Id)] = StateJson.Write(new OrganisationRecord(org.Id, org.Kind, org.Governing, "active"));
            foreach (var spki in org.Keys)
            {
                var id = KeyId.Of(spki);
                writes[IdentityKeys.Key(id)] = StateJson.Write(new KeyRecord(id.ToString(), Convert.ToBase64String(spki), "organisation", org.Id, org.Id, "active"));
            }
        }
        foreach (var spki in genesis.Validators)
        {
            var id = KeyId.Of(spki);
            writes.TryAdd(IdentityKeys.Key(id), StateJson.Write(new KeyRecord(id.ToString(), Convert.ToBase64String(spki), "validator", "validator", "", "active")));
        }
        writes[IdentityKeys.Governance] = StateJson.Write(new GovernanceRecord(genesis.GovernanceRule,
            genesis.Organisations.Where(o => o.Governing).Select(o => o.Id).Order(StringComparer.Ordinal).ToList()));
        return writes.Select(w => new StateWrite(w.Key, w.Value)).ToList();
    }
}
