using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.Credentials;

/// <summary>
/// Licence checks over the credentials on the ledger, used by the prescription, dispensing and claims rules:
/// they read the current state, so a suspension, revocation or expiry bites from the next block on.
/// </summary>
public static class Licensing
{
    /// <summary>Professions whose licence lets the holder prescribe.</summary>
    public static readonly IReadOnlySet<string> PrescribingProfessions =
        new HashSet<string>(["physician", "dentist", "nurse_practitioner", "physician_assistant"], StringComparer.Ordinal);

    public const string Licence = "licence";
    public const string ControlledSubstances = "controlled_substance_registration";

    /// <summary>A practitioner's credentials, oldest first.</summary>
    public static IReadOnlyList<CredentialRecord> Of(IStateReader state, string member) =>
        StateJson.ReadIds(state, CredentialKeys.Of(member))
            .Select(id => StateJson.Read<CredentialRecord>(state.Get(CredentialKeys.Credential(id)))!).ToList();

    /// <summary>
    /// Whether <paramref name="member"/> held, at <paramref name="time"/>, an active credential of <paramref name="kind"/>
    /// that <paramref name="covers"/> accepts, in <paramref name="jurisdiction"/> when one is given.
    /// </summary>
    public static LicenceCheck Check(IStateReader state, string member, string kind, Func<CredentialRecord, bool> covers, string? jurisdiction, long time) =>
        Check(Of(state, member), kind, covers, jurisdiction, time);

    private static LicenceCheck Check(IReadOnlyList<CredentialRecord> credentials, string kind, Func<CredentialRecord, bool> covers, string? jurisdiction, long time)
    {
        var candidates = credentials.Where(c => c.Kind == kind && covers(c) && (jurisdiction is null || c.Jurisdiction == jurisdiction)).ToList();
        var active = candidates.FirstOrDefault(c => c.ActiveAt(time));
        if (active is not null)
        {
            return new LicenceCheck(true, active.Id, "active");
        }
        var latest = candidates.LastOrDefault();
        return new LicenceCheck(false, latest?.Id, latest?.StandingAt(time) ?? "none");
    }

    /// <summary>"Is this practitioner licensed for <paramref name="qualification"/> (a profession or a specialty)?"</summary>
    public static LicenceCheck IsLicensedFor(IStateReader state, string member, string qualification, string? jurisdiction, long time) =>
        Check(state, member, Licence, c => Qualifies(c, qualification), jurisdiction, time);

    private static bool Qualifies(CredentialRecord credential, string qualification) =>
        credential.Profession == qualification || credential.Specialty == qualification;

    /// <summary>
    /// "Was this practitioner licensed for <paramref name="qualification"/> throughout [<paramref name="from"/>, <paramref name="to"/>)?"
    /// (a whole day, say): the answer at the start and at every change of a credential inside the span must be yes, so a licence
    /// revoked at 09:00 is not "licensed on" that day.
    /// </summary>
    public static LicenceCheck IsLicensedThroughout(IStateReader state, string member, string qualification, string? jurisdiction, long from, long to)
    {
        var credentials = Of(state, member);
        var instants = credentials.SelectMany(c => c.History.Select(h => h.Time).Append(c.ValidUntil))
            .Where(t => t > from && t < to).Prepend(from).Append(to - 1).Distinct().Order();
        LicenceCheck? last = null;
        foreach (var instant in instants)
        {
            last = Check(credentials, Licence, c => Qualifies(c, qualification), jurisdiction, instant);
            if (!last.Licensed)
            {
                return last;
            }
        }
        return last!;
    }

    /// <summary>True when the practitioner holds any active licence on <paramref name="time"/> and none of theirs is suspended or revoked now.</summary>
    public static LicenceCheck InGoodStanding(IStateReader state, string member, long time)
    {
        var credentials = Of(state, member);
        var check = Check(credentials, Licence, _ => true, null, time);
        var barred = credentials.FirstOrDefault(c => c.Kind == Licence && c.Status != "active");
        return check.Licensed && barred is not null ? new LicenceCheck(false, barred.Id, barred.Status) : check;
    }

    /// <summary>Rejects the call unless <paramref name="member"/> may prescribe now (and, for a controlled substance, holds an active registration).</summary>
    public static void RequirePrescriber(ContractCall call, string member, bool controlled)
    {
        var licence = Check(call.State, member, Licence, c => PrescribingProfessions.Contains(c.Profession), null, call.Block.Timestamp);
        if (!licence.Licensed)
        {
            throw ContractCall.Reject(CredentialErrors.NotLicensed, $"{member} holds no active prescriber licence ({Describe(licence)}).");
        }
        if (controlled)
        {
            var registration = Check(call.State, member, ControlledSubstances, _ => true, null, call.Block.Timestamp);
            if (!registration.Licensed)
            {
                throw ContractCall.Reject(CredentialErrors.NotLicensed,
                    $"{member} holds no active controlled-substance registration ({Describe(registration)}).");
            }
        }
    }

    /// <summary>Rejects the call unless <paramref name="member"/> holds an active pharmacist licence now.</summary>
    public static void RequirePharmacist(ContractCall call, string member)
    {
        var licence = IsLicensedFor(call.State, member, "pharmacist", null, call.Block.Timestamp);
        if (!licence.Licensed)
        {
            throw ContractCall.Reject(CredentialErrors.NotLicensed, $"{member} holds no active pharmacist licence ({Describe(licence)}).");
        }
    }

    private static string Describe(LicenceCheck check) => check.Credential is null ? "none on record" : $"{check.Credential} is {check.Standing}";
}
