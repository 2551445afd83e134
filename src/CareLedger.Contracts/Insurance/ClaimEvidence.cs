using CareLedger.Contracts.Credentials;
using CareLedger.Contracts.Identity;
using CareLedger.Contracts.Records;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.Insurance;

/// <summary>
/// What the ledger must show before a claim line is paid, so that a provider cannot bill for care it did not give: the provider
/// may bill this kind of service (<see cref="ServiceClass"/>), the rendering practitioner worked for the provider on the date of
/// service and was licensed for that kind of service, and the provider was treating the patient then: a clinical record it
/// registered for the patient (with the patient's consent) from a week before to a month after the service. A pharmacy claim is
/// raised by the dispense itself, which is its evidence.
/// </summary>
public static class ClaimEvidence
{
    private const long Day = 86_400_000;
    private const long Before = 7 * Day;
    private const long After = 30 * Day;

    /// <summary>The CARC and the reason of the first missing piece of evidence, or null when the ledger shows them all.</summary>
    public static (string Carc, string Why)? Missing(IStateReader state, ClaimRecord claim, string code, long serviceDate)
    {
        var serviceClass = ServiceClass.Of(code);
        var kind = OrganisationKinds.Of(state, claim.Provider);
        if (!ServiceClass.BillableBy(kind, serviceClass))
        {
            return (Carc.ProviderType, $"a {kind ?? "unknown organisation"} does not bill a {serviceClass} ({code})");
        }
        if (!WorkedFor(state, claim.Practitioner, claim.Provider, serviceDate))
        {
            return (Carc.ProviderNotEligible, $"{claim.Practitioner} did not work for {claim.Provider} on the date of service");
        }
        var licensed = Licensing.Of(state, claim.Practitioner)
            .Any(c => c.Kind == Licensing.Licence && c.ActiveAt(serviceDate) && ServiceClass.RenderableBy(c.Profession, serviceClass));
        if (!licensed)
        {
            return (Carc.RenderingNotEligible, $"{claim.Practitioner} held no licence for a {serviceClass} on the date of service");
        }
        if (claim.Prescription is null && !Treated(state, claim.Patient, claim.Provider, serviceDate))
        {
            return (Carc.LacksInformation, $"no clinical record of {claim.Provider} for the patient from a week before to a month after the service");
        }
        return null;
    }

    // A member of the provider, or employed there by an attestation that covers the date.
    private static bool WorkedFor(IStateReader state, string practitioner, string provider, long time) =>
        StateJson.Read<MemberRecord>(state.Get(IdentityKeys.Member(practitioner)))?.Organisation == provider
        || CredentialsContract.Employment(state, practitioner).Any(e => e.Organisation == provider && e.From <= time && (e.Until is null || time < e.Until));

    private static bool Treated(IStateReader state, string patient, string provider, long serviceDate) =>
        StateJson.ReadIds(state, RecordKeys.PatientRecords(patient))
            .Select(id => StateJson.Read<RecordEntry>(state.Get(RecordKeys.Record(id))))
            .Any(r => r is not null && r.Custodian == provider && r.ResourceType != "Claim"
                && r.Versions[0].Timestamp >= serviceDate - Before && r.Versions[0].Timestamp <= serviceDate + After);
}
