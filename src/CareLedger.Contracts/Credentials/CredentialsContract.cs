using System.Text.RegularExpressions;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Identity;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.Credentials;

/// <summary>
/// Verifiable credentials of medical staff. Licensing boards issue licences, certifying bodies board
/// certifications, universities degrees, regulators (or boards) controlled-substance registrations; the issuer
/// alone suspends, reinstates, revokes and renews them. Provider organisations attest employment periods.
/// Signed by the issuing organisation's key or by one of its members with the registrar role.
/// </summary>
public sealed partial class CredentialsContract : IContract
{

    /// <summary>Which kind of organisation issues which kind of credential.</summary>
    private static readonly Dictionary<string, string[]> Issuers = new(StringComparer.Ordinal)
    {
        [Licensing.Licence] = ["LicensingBoard"],
        ["board_certification"] = ["CertifyingBody"],
        ["degree"] = ["University"],
        [Licensing.ControlledSubstances] = ["Regulator", "LicensingBoard"],
    };

    [GeneratedRegex("^cred:[a-z0-9._-]{1,59}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z][a-z_]{1,39}$")]
    private static partial Regex TermPattern();

    [GeneratedRegex("^[A-Z]{2}(-[A-Z0-9]{1,3})?$")]
    private static partial Regex JurisdictionPattern();

    public string Name => "cred";

    public bool Handles(string action) => action is "issue" or "suspend" or "reinstate" or "revoke" or "renew" or "attest_employment" or "end_employment";

    public void Execute(ContractCall call)
    {
        var caller = Caller.Resolve(call.State, call.Transaction.Signer)
            ?? throw ContractCall.Reject(CredentialErrors.NotAuthorised, "The signer is not an active identity.");
        var employment = call.Action is "attest_employment" or "end_employment";
        if (caller.Kind == "patient" || caller.Kind == "member" && !caller.Roles.Contains(Roles.Registrar) && !(employment && caller.Roles.Contains(Roles.Hr)))
        {
            throw ContractCall.Reject(CredentialErrors.NotAuthorised,
                employment ? "Employment is attested by the organisation's key, its registrar or HR." : "Credentials are recorded by the issuer's key or its registrar.");
        }
        var org = StateJson.Read<OrganisationRecord>(call.State.Get(IdentityKeys.Organisation(caller.Organisation)))!;
        if (employment && !OrganisationKinds.Providers.Contains(org.Kind))
        {
            throw ContractCall.Reject(CredentialErrors.NotAuthorised, "Employment is attested by a provider organisation.");
        }
        switch (call.Action)
        {
            case "issue": Issue(call, org); break;
            case "attest_employment": AttestEmployment(call, org); break;
            case "end_employment": EndEmployment(call, org); break;
            default: Change(call, org); break;
        }
    }

    /// <summary>
    /// <c>cred.issue {credential, subject, kind, profession, specialty?, jurisdiction, number, validFrom, validUntil}</c>:
    /// <c>subject</c> is a member id, <c>jurisdiction</c> an ISO 3166 code (US, US-MA, GB), times in ms.
    /// </summary>
    private static void Issue(ContractCall call, OrganisationRecord issuer)
    {
        var id = call.Args.GetString("credential");
        var kind = call.Args.GetString("kind");
        var subject = call.Args.GetString("subject");
        var profession = call.Args.GetString("profession");
        var specialty = call.Args.GetOptionalString("specialty");
        var jurisdiction = call.Args.GetString("jurisdiction");
        var number = call.Args.GetString("number");
        var from = call.Args.GetInt64("validFrom");
        var until = call.Args.GetInt64("validUntil");
        if (!IdPattern().IsMatch(id) || !Issuers.TryGetValue(kind, out var issuerKinds) || !TermPattern().IsMatch(profession) || specialty is not null && !TermPattern().IsMatch(specialty)
            || !JurisdictionPattern().IsMatch(jurisdiction) || number.Length is 0 or > 40 || until <= from)
        {
            throw ContractCall.Reject(CredentialErrors.BadCredential,
                $"credential is cred:…, kind one of {string.Join(", ", Issuers.Keys)}, profession/specialty lower_snake_case, jurisdiction ISO 3166 (e.g. US-MA), a number, validUntil after validFrom.");
        }
        if (!issuerKinds.Contains(issuer.Kind))
        {
            throw ContractCall.Reject(CredentialErrors.NotAuthorised, $"A {issuer.Kind} does not issue a {kind} (issuers: {string.Join(", ", issuerKinds)}).");
        }
        if (call.State.Get(IdentityKeys.Member(subject)) is null)
        {
            throw ContractCall.Reject(CredentialErrors.BadCredential, $"No practitioner {subject}.");
        }
        if (call.State.Get(CredentialKeys.Credential(id)) is not null)
        {
            throw ContractCall.Reject(CredentialErrors.Exists, $"Credential {id} exists.");
        }
        var record = new CredentialRecord(id, issuer.Id, subject, kind, profession, specialty, jurisdiction, number, from, until, "active",
            [new CredentialChange("issued", call.Block.Timestamp, until, null, call.Transaction.Id.ToString())]);
        call.State.Put(CredentialKeys.Credential(id), StateJson.Write(record));
        StateJson.AppendId(call.State, CredentialKeys.Of(subject), id);
        StateJson.AppendId(call.State, CredentialKeys.IssuedBy(issuer.Id), id);
        call.Emit("cred.issued", ("credential", id), ("subject", subject), ("kind", kind), ("issuer", issuer.Id));
    }

    /// <summary>
    /// <c>cred.suspend|reinstate|revoke {credential, reason}</c> and <c>cred.renew {credential, validUntil}</c>, by the issuer.
    /// A revoked credential stays revoked.
    /// </summary>
    private static void Change(ContractCall call, OrganisationRecord issuer)
    {
        var id = call.Args.GetString("credential");
        var record = StateJson.Read<CredentialRecord>(call.State.Get(CredentialKeys.Credential(id)))
            ?? throw ContractCall.Reject(CredentialErrors.Unknown, $"No credential {id}.");
        if (record.Issuer != issuer.Id)
        {
            throw ContractCall.Reject(CredentialErrors.NotAuthorised, $"Only {record.Issuer}, the issuer, changes {id}.");
        }
        string[] live = ["active", "suspended"];
        var (action, status, allowedFrom) = call.Action switch
        {
            "suspend" => ("suspended", "suspended", ["active"]),
            "reinstate" => ("reinstated", "active", ["suspended"]),
            "revoke" => ("revoked", "revoked", live),
            _ => ("renewed", record.Status, live),
        };
        if (!allowedFrom.Contains(record.Status))
        {
            throw ContractCall.Reject(CredentialErrors.BadTransition, $"Credential {id} is {record.Status}; it cannot be {action}.");
        }
        long? until = null;
        if (action == "renewed")
        {
            until = call.Args.GetInt64("validUntil");
            if (until <= record.ValidUntil)
            {
                throw ContractCall.Reject(CredentialErrors.BadCredential, "A renewal extends validUntil.");
            }
        }
        var reason = call.Args.GetOptionalString("reason");
        if (action is "suspended" or "revoked" && string.IsNullOrWhiteSpace(reason))
        {
            throw ContractCall.Reject(CredentialErrors.BadCredential, $"A credential is {action} with a reason.");
        }
        var change = new CredentialChange(action, call.Block.Timestamp, until, reason, call.Transaction.Id.ToString());
        call.State.Put(CredentialKeys.Credential(id),
            StateJson.Write(record with { Status = status, ValidUntil = until ?? record.ValidUntil, History = [.. record.History, change] }));
        call.Emit("cred." + action, ("credential", id), ("subject", record.Subject), ("issuer", issuer.Id));
    }

    /// <summary><c>cred.attest_employment {member, role, from, until?}</c>, by a provider organisation (its key, registrar or HR).</summary>
    private static void AttestEmployment(ContractCall call, OrganisationRecord employer)
    {
        var member = call.Args.GetString("member");
        var role = call.Args.GetString("role");
        var from = call.Args.GetInt64("from");
        var until = call.Args.Has("until") ? call.Args.GetInt64("until") : (long?)null;
        if (call.State.Get(IdentityKeys.Member(member)) is null || !TermPattern().IsMatch(role) || until <= from || from > call.Block.Timestamp)
        {
            throw ContractCall.Reject(CredentialErrors.BadEmployment, "member is an enrolled practitioner, role lower_snake_case, from not in the future, until after from.");
        }
        var periods = StateJson.Read<List<EmploymentRecord>>(call.State.Get(CredentialKeys.Employment(member))) ?? [];
        if (periods.Any(p => p.Organisation == employer.Id && p.From < (until ?? long.MaxValue) && from < (p.Until ?? long.MaxValue)))
        {
            throw ContractCall.Reject(CredentialErrors.BadEmployment, $"{employer.Id} already attested an overlapping period for {member}.");
        }
        periods.Add(new EmploymentRecord(employer.Id, role, from, until, call.Transaction.Id.ToString()));
        call.State.Put(CredentialKeys.Employment(member), StateJson.Write(periods));
        call.Emit("cred.employment_attested", ("member", member), ("organisation", employer.Id));
    }

    /// <summary><c>cred.end_employment {member, until}</c>: closes the organisation's open period.</summary>
    private static void EndEmployment(ContractCall call, OrganisationRecord employer)
    {
        var member = call.Args.GetString("member");
        var until = call.Args.GetInt64("until");
        var periods = StateJson.Read<List<EmploymentRecord>>(call.State.Get(CredentialKeys.Employment(member))) ?? [];
        var open = periods.FindIndex(p => p.Organisation == employer.Id && p.Until is null);
        if (open < 0 || until <= periods[open].From)
        {
            throw ContractCall.Reject(CredentialErrors.BadEmployment, $"{employer.Id} has no open period for {member} that began before {until}.");
        }
        periods[open] = periods[open] with { Until = until };
        call.State.Put(CredentialKeys.Employment(member), StateJson.Write(periods));
        call.Emit("cred.employment_ended", ("member", member), ("organisation", employer.Id));
    }

    /// <summary>A practitioner's attested employment periods.</summary>
    public static IReadOnlyList<EmploymentRecord> Employment(IStateReader state, string member) =>
        StateJson.Read<List<EmploymentRecord>>(state.Get(CredentialKeys.Employment(member))) ?? [];
}
