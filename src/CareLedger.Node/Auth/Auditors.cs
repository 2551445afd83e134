using CareLedger.Contracts;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Identity;
using CareLedger.Ledger.Execution;

namespace CareLedger.Node.Auth;

/// <summary>
/// Who audits the network: regulators (their key or staff), and members with the auditor role at a governing organisation. An
/// organisation gives its members whatever roles it likes, so the auditor role counts only where governance stands behind it:
/// otherwise any organisation could enrol an "auditor" and read every transaction.
/// </summary>
internal static class Auditors
{
    public static bool Include(IStateReader state, Caller caller)
    {
        if (caller.Kind is not ("organisation" or "member")
            || StateJson.Read<OrganisationRecord>(state.Get(IdentityKeys.Organisation(caller.Organisation))) is not { Status: "active" } organisation)
        {
            return false;
        }
        return organisation.Kind == "Regulator" || organisation.Governing && caller.Roles.Contains(Roles.Auditor);
    }
}
