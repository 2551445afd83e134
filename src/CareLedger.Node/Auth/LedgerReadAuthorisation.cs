using System.Text.Json.Nodes;
using CareLedger.Contracts;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Identity;
using CareLedger.Ledger.Execution;
using CareLedger.Storage;

namespace CareLedger.Node.Auth;

/// <summary>
/// Who may read a transaction's contents (type, signer, arguments, result message and events): its parties and those who audit.
/// A party is the identity that signed it (or, for an organisation's key, its staff signing), anyone it names in its arguments or
/// events (the patient, a grantee, a counterparty), and a delegate who may read for a patient it names. Auditors (<see cref="Auditors"/>)
/// read everything; so does the node's operator (its organisation's own key), which holds the whole chain on disk anyway. Everyone
/// else sees the id, status and position: enough to know it exists and to ask a party for its receipt.
/// </summary>
internal static class LedgerReadAuthorisation
{
    public static bool MaySeeContents(IStateReader state, Caller caller, string? operatorOrganisation, StoredTransaction stored, long now)
    {
        if (Auditors.Include(state, caller) || caller.Kind == "organisation" && caller.Id == operatorOrganisation)
        {
            return true;
        }
        var signer = StateJson.Read<KeyRecord>(state.Get(IdentityKeys.Key(stored.Transaction.Signer)));
        if (signer is not null && (signer.Owner == caller.Id || caller.Kind == "organisation" && signer.Organisation == caller.Id))
        {
            return true;
        }
        var named = NamedIn(stored);
        if (named.Contains(caller.Id))
        {
            return true;
        }
        return named.Where(n => n.StartsWith("patient:", StringComparison.Ordinal))
            .Any(patient => AccessDecisionPoint.ActsForPatient(state, caller, patient, "read", now));
    }

    // Every identifier the transaction names: string values of its arguments (at any depth) and of its events' attributes.
    private static HashSet<string> NamedIn(StoredTransaction stored)
    {
        var named = new HashSet<string>(StringComparer.Ordinal);
        Collect(stored.Transaction.Args.ToJson(), named);
        foreach (var e in stored.Result.Events)
        {
            foreach (var value in e.Attributes.Values)
            {
                named.UnionWith(value.Split(','));
            }
        }
        return named;
    }

    private static void Collect(JsonNode? node, HashSet<string> named)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, value) in o)
                {
                    Collect(value, named);
                }
                break;
            case JsonArray a:
                foreach (var value in a)
                {
                    Collect(value, named);
                }
                break;
            case JsonValue v when v.TryGetValue<string>(out var s):
                named.Add(s);
                break;
        }
    }
}
