namespace CareLedger.Contracts.Credentials;

/// <summary>
/// A practitioner's credential as its issuer recorded it: <see cref="Kind"/> licence, board_certification, degree
/// or controlled_substance_registration; the profession it licenses (physician, pharmacist, nurse, …) and an
/// optional specialty; jurisdiction and number; validity; the current status (active, suspended, revoked) and
/// every change, so its standing on any past date can be worked out.
/// </summary>
public sealed record CredentialRecord(string Id, string Issuer, string Subject, string Kind, string Profession, string? Specialty,
    string Jurisdiction, string Number, long ValidFrom, long ValidUntil, string Status, IReadOnlyList<CredentialChange> History)
{
    /// <summary>True when the credential was in force at <paramref name="time"/>: issued, within validity (as renewed by then), not suspended or revoked.</summary>
    public bool ActiveAt(long time) => StandingAt(time) == "active";

    /// <summary>
    /// active, expired, not_yet_valid, suspended or revoked at <paramref name="time"/>, replaying the history up to then. A
    /// licence recorded today may have been valid since an earlier <see cref="ValidFrom"/>: the issuer vouches for that.
    /// </summary>
    public string StandingAt(long time)
    {
        if (History.Count == 0 || time < ValidFrom)
        {
            return "not_yet_valid";
        }
        var status = "active";
        var until = History[0].ValidUntil ?? ValidUntil;
        foreach (var change in History.Skip(1).TakeWhile(c => c.Time <= time))
        {
            switch (change.Action)
            {
                case "suspended": status = "suspended"; break;
                case "reinstated": status = "active"; break;
                case "revoked": status = "revoked"; break;
                case "renewed": until = change.ValidUntil ?? until; break;
            }
        }
        return status != "active" ? status : time >= until ? "expired" : "active";
    }
}

/// <summary>One change of a credential: issued, suspended, reinstated, revoked or renewed (with the new end of validity).</summary>
public sealed record CredentialChange(string Action, long Time, long? ValidUntil, string? Reason, string Transaction);
