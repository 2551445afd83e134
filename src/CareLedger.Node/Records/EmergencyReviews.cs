using CareLedger.Contracts;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Identity;
using CareLedger.Ledger.Execution;

namespace CareLedger.Node.Records;

/// <summary>The privacy officer's side of break-glass: an organisation's accesses waiting for review, and its flagged clinicians.</summary>
public static class EmergencyReviews
{
    /// <summary>
    /// Who works an organisation's review queue: members with the privacy-officer role, or the organisation's key. The verdict itself
    /// is the contract's to accept (<c>consent.review_emergency</c> wants a privacy officer of the clinician's organisation).
    /// </summary>
    public static bool MayReview(Caller caller) => caller.Kind == "organisation" || caller.Roles.Contains(Roles.PrivacyOfficer);

    /// <summary>Break-glass accesses by <paramref name="organisation"/>'s clinicians that wait for review, oldest first.</summary>
    public static IReadOnlyList<EmergencyAccess> Queue(IStateReader state, string organisation) =>
        StateJson.ReadIds(state, ConsentKeys.ReviewQueue(organisation))
            .Select(id => StateJson.Read<EmergencyAccess>(state.Get(ConsentKeys.Emergency(id))))
            .OfType<EmergencyAccess>()
            .Where(e => e.Review == "pending")
            .OrderBy(e => e.OpenedAt)
            .ToList();

    /// <summary>A clinician's unjustified emergency accesses, or null when there are none.</summary>
    public static ClinicianFlag? FlagOf(IStateReader state, string clinician) => StateJson.Read<ClinicianFlag>(state.Get(ConsentKeys.Flag(clinician)));
}
