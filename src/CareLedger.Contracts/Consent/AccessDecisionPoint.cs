using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.Consent;

/// <summary>
/// Decides access from ledger state alone. Permit when the caller is the patient, an active delegate
/// whose mandate covers the action, or, when the caller's role and organisation may claim the purpose
/// (<see cref="PurposeBinding"/>), the holder of an open emergency access (purpose ETREAT) or the grantee
/// of an active, current grant whose actions, purposes and scope all cover the request.
/// Otherwise Deny with the most specific reason: a grant that covered the request but was revoked or has
/// expired explains a Deny better than one for another purpose, action or scope.
/// </summary>
public static class AccessDecisionPoint
{
    // How far a grant got towards a Permit; the furthest one explains a Deny best. What a grant is for (action, purpose, scope)
    // is checked before whether it is in force, so a revoked or expired grant for this very request is the reason given.
    private static readonly string[] Progress =
        [ConsentErrors.NotGranted, ConsentErrors.ActionNotGranted, ConsentErrors.PurposeNotGranted, ConsentErrors.OutOfScope,
         ConsentErrors.NotYetValid, ConsentErrors.Expired, ConsentErrors.Revoked];

    public static AccessDecision Decide(IStateReader state, AccessRequest request)
    {
        var (caller, patient, time) = (request.Caller, request.Patient, request.Time);
        if (caller.Kind == "patient" && caller.Id == patient)
        {
            return new AccessDecision(true, "consent.own_record");
        }
        var index = StateJson.Read<List<GrantRef>>(state.Get(ConsentKeys.PatientGrants(patient))) ?? [];
        if (index.Exists(entry => entry.IsDelegate && entry.Grantee.Id == caller.Id)
            && StateJson.Read<Delegation>(state.Get(ConsentKeys.Delegation(patient, caller.Id)))?.Allows(request.Action, time) == true)
        {
            return new AccessDecision(true, "consent.delegate");
        }
        if (!PurposeBinding.MayClaim(state, caller, request.Purpose))
        {
            return AccessDecision.Deny(ConsentErrors.PurposeNotPermitted);
        }
        if (request.Purpose == PurposeOfUse.Emergency)
        {
            foreach (var id in StateJson.ReadIds(state, ConsentKeys.PatientEmergencies(patient)))
            {
                var e = StateJson.Read<EmergencyAccess>(state.Get(ConsentKeys.Emergency(id)));
                if (e is not null && e.Clinician == caller.Id && e.Review != "unjustified" && e.OpenedAt <= time && time < e.Expires)
                {
                    return new AccessDecision(true, "consent.emergency", EmergencyId: id);
                }
            }
        }
        // A permit names the most specific grant: one naming the caller individually (which a research read needs for identifiable
        // data) before one reaching them through their role or organisation.
        var furthest = 0;
        string? broadPermit = null;
        foreach (var entry in index)
        {
            if (!caller.Matches(entry.Grantee) || broadPermit is not null && entry.Grantee.Kind != "member")
            {
                continue;
            }
            var grant = StateJson.Read<ConsentGrant>(state.Get(ConsentKeys.Grant(entry.Id)));
            if (grant is null)
            {
                continue;
            }
            var reached = Check(grant, request);
            if (reached == Progress.Length)
            {
                if (grant.Grantee.Kind == "member")
                {
                    return new AccessDecision(true, ConsentErrors.Granted, GrantId: grant.Id);
                }
                broadPermit ??= grant.Id;
            }
            furthest = Math.Max(furthest, reached);
        }
        return broadPermit is not null ? new AccessDecision(true, ConsentErrors.Granted, GrantId: broadPermit) : AccessDecision.Deny(Progress[furthest]);
    }

    /// <summary>True when the caller is the patient, or a delegate of the patient whose mandate includes <paramref name="act"/> at <paramref name="time"/>.</summary>
    public static bool ActsForPatient(IStateReader state, Caller caller, string patient, string act, long time) =>
        (caller.Kind == "patient" && caller.Id == patient)
        || StateJson.Read<Delegation>(state.Get(ConsentKeys.Delegation(patient, caller.Id)))?.Allows(act, time) == true;

    // Index into Progress of the first check the grant fails, or Progress.Length when it permits.
    private static int Check(ConsentGrant g, AccessRequest r)
    {
        if (!g.Actions.Contains(r.Action))
        {
            return 1;
        }
        if (!g.Purposes.Contains(r.Purpose))
        {
            return 2;
        }
        var inScope = (g.Categories.Count == 0 || g.Categories.Contains(r.Record.Category))
            && (g.ResourceTypes.Count == 0 || g.ResourceTypes.Contains(r.Record.ResourceType))
            && (g.Records.Count == 0 || g.Records.Contains(r.Record.Id));
        if (!inScope)
        {
            return 3;
        }
        if (g.Status != "active")
        {
            return 6;
        }
        if (r.Time < g.NotBefore)
        {
            return 4;
        }
        return r.Time >= g.Expires ? 5 : Progress.Length;
    }
}
