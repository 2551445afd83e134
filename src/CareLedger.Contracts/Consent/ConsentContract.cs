using System.Text.RegularExpressions;
using CareLedger.Contracts.Identity;
using CareLedger.Contracts.Records;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.Consent;

/// <summary>
/// Patient-controlled consent: grants and revocations (by the patient or a delegate within their
/// mandate), delegates appointed by the patient or recorded by an organisation (court order, parental),
/// and break-glass emergency access with its review by a privacy officer. Revocation is a state write,
/// so it holds from the block after the one that commits it.
/// </summary>
public sealed partial class ConsentContract : IContract
{
    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,31}$")]
    private static partial Regex ReasonCodePattern();

    private const long MaxEmergencyHours = 24;
    private static readonly HashSet<string> Actions = new(["read", "append"], StringComparer.Ordinal);
    private static readonly HashSet<string> Mandates = new(["grant", "revoke", "read", "append"], StringComparer.Ordinal);
    private static readonly HashSet<string> EmergencyReasons = new(["unconscious", "life-threatening", "cannot-consent", "other"], StringComparer.Ordinal);
    private static readonly string[] ActionNames =
        ["grant", "revoke", "appoint_delegate", "record_guardianship", "contest_guardianship", "resolve_guardianship", "end_delegation", "break_glass",
            "review_emergency", "request_access", "decline_request"];

    public string Name => "consent";

    public bool Handles(string action) => ActionNames.Contains(action);

    public void Execute(ContractCall call)
    {
        var caller = Caller.Resolve(call.State, call.Transaction.Signer)
            ?? throw ContractCall.Reject(ConsentErrors.NotAuthorised, "The signer is not an active identity.");
        switch (call.Action)
        {
            case "grant": Grant(call, caller); break;
            case "revoke": Revoke(call, caller); break;
            case "appoint_delegate": AppointDelegate(call, caller); break;
            case "record_guardianship": RecordGuardianship(call, caller); break;
            case "contest_guardianship": ContestGuardianship(call, caller); break;
            case "resolve_guardianship": ResolveGuardianship(call, caller); break;
            case "end_delegation": EndDelegation(call, caller); break;
            case "break_glass": BreakGlass(call, caller); break;
            case "review_emergency": ReviewEmergency(call, caller); break;
            case "request_access": RequestAccess(call, caller); break;
            case "decline_request": DeclineRequest(call, caller); break;
        }
    }

    /// <summary>
    /// <c>consent.request_access {patient, actions, purposes, reason}</c>, by a member: asks the patient for access (the reason is a code
    /// such as <c>referral</c>, never free text). The patient answers with a grant naming the <c>request</c>, or declines it.
    /// </summary>
    private static void RequestAccess(ContractCall call, Caller caller)
    {
        if (caller.Kind != "member")
        {
            throw ContractCall.Reject(ConsentErrors.NotAuthorised, "Access is requested by a member of an organisation.");
        }
        var patient = RequirePatient(call, call.Args.GetString("patient"));
        var actions = call.Args.GetStringArray("actions");
        var purposes = call.Args.GetStringArray("purposes");
        var reason = call.Args.GetString("reason");
        if (actions.Count == 0 || !actions.All(Actions.Contains) || purposes.Count == 0 || !purposes.All(PurposeOfUse.All.Contains)
            || !ReasonCodePattern().IsMatch(reason))
        {
            throw ContractCall.Reject(ConsentErrors.BadGrant, "actions are read/append, purposes PurposeOfUse codes, reason a short code such as referral.");
        }
        var request = new AccessRequestRecord(call.Transaction.Id.ToString(), patient, caller.Id, caller.Organisation, actions, purposes, reason,
            call.Block.Timestamp, "open", null);
        call.State.Put(ConsentKeys.Request(request.Id), StateJson.Write(request));
        StateJson.AppendId(call.State, ConsentKeys.PatientRequests(patient), request.Id);
        call.Emit("consent.access_requested", ("request", request.Id), ("patient", patient), ("requester", caller.Id));
    }

    /// <summary><c>consent.decline_request {request}</c>, by the patient or a delegate with the grant mandate.</summary>
    private static void DeclineRequest(ContractCall call, Caller caller)
    {
        var request = OpenRequest(call, call.Args.GetString("request"));
        RequireActingFor(call, caller, request.Patient, "grant");
        call.State.Put(ConsentKeys.Request(request.Id), StateJson.Write(request with { Status = "declined" }));
        call.Emit("consent.request_declined", ("request", request.Id), ("requester", request.Requester));
    }

    private static AccessRequestRecord OpenRequest(ContractCall call, string id) =>
        StateJson.Read<AccessRequestRecord>(call.State.Get(ConsentKeys.Request(id))) is { Status: "open" } request ? request
            : throw ContractCall.Reject(ConsentErrors.UnknownGrant, $"No open access request {id}.");

    /// <summary>
    /// <c>consent.grant {patient, grantee: {kind, id, organisation?}, categories?, resourceTypes?, records?,
    /// actions, purposes, notBefore?, expires, request?}</c>; the grant id is the transaction id. Naming an open access
    /// <c>request</c> of that member answers it.
    /// </summary>
    private static void Grant(ContractCall call, Caller caller)
    {
        var args = call.Args;
        var patient = RequirePatient(call, args.GetString("patient"));
        RequireActingFor(call, caller, patient, "grant");
        var g = args.GetObject("grantee");
        var grantee = new Grantee(g.GetString("kind"), g.GetString("id"), g.GetOptionalString("organisation"));
        RequireGranteeExists(call, grantee);
        var actions = args.GetStringArray("actions");
        var purposes = args.GetStringArray("purposes");
        if (actions.Count == 0 || !actions.All(Actions.Contains))
        {
            throw ContractCall.Reject(ConsentErrors.BadGrant, "actions are one or more of: read, append.");
        }
        if (purposes.Count == 0 || !purposes.All(PurposeOfUse.All.Contains))
        {
            throw ContractCall.Reject(ConsentErrors.BadGrant, "purposes are HL7 PurposeOfUse codes: TREAT, HPAYMT, HOPERAT, HRESCH, ETREAT.");
        }
        var notBefore = args.GetInt64OrDefault("notBefore", call.Block.Timestamp);
        var expires = args.GetInt64("expires");
        if (expires <= notBefore || expires <= call.Block.Timestamp)
        {
            throw ContractCall.Reject(ConsentErrors.BadGrant, "expires must be after notBefore and in the future.");
        }
        var grant = new ConsentGrant(call.Transaction.Id.ToString(), patient, grantee, args.GetStringArrayOrEmpty("categories"),
            args.GetStringArrayOrEmpty("resourceTypes"), args.GetStringArrayOrEmpty("records"), actions, purposes, notBefore, expires,
            caller.Id, "active", null);
        call.State.Put(ConsentKeys.Grant(grant.Id), StateJson.Write(grant));
        var list = StateJson.Read<List<GrantRef>>(call.State.Get(ConsentKeys.PatientGrants(patient))) ?? [];
        list.Add(new GrantRef(grant.Id, grantee));
        call.State.Put(ConsentKeys.PatientGrants(patient), StateJson.Write(list));
        if (args.GetOptionalString("request") is { } requestId)
        {
            var request = OpenRequest(call, requestId);
            if (request.Patient != patient || grantee is not { Kind: "member" } || grantee.Id != request.Requester)
            {
                throw ContractCall.Reject(ConsentErrors.BadGrant, $"Request {requestId} is from {request.Requester} for another patient or grantee.");
            }
            call.State.Put(ConsentKeys.Request(request.Id), StateJson.Write(request with { Status = "granted", Grant = grant.Id }));
        }
        call.Emit("consent.granted", ("grant", grant.Id), ("patient", patient), ("grantee", $"{grantee.Kind}:{grantee.Id}"), ("by", caller.Id));
    }

    /// <summary><c>consent.revoke {grant}</c>, by the patient or a delegate with the "revoke" mandate.</summary>
    private static void Revoke(ContractCall call, Caller caller)
    {
        var id = call.Args.GetString("grant");
        var grant = StateJson.Read<ConsentGrant>(call.State.Get(ConsentKeys.Grant(id)))
            ?? throw ContractCall.Reject(ConsentErrors.UnknownGrant, $"No grant {id}.");
        RequireActingFor(call, caller, grant.Patient, "revoke");
        if (grant.Status != "active")
        {
            throw ContractCall.Reject(ConsentErrors.AlreadyRevoked, $"Grant {id} is already revoked.");
        }
        call.State.Put(ConsentKeys.Grant(id), StateJson.Write(grant with { Status = "revoked", RevokedAt = call.Block.Timestamp }));
        call.Emit("consent.revoked", ("grant", id), ("patient", grant.Patient), ("by", caller.Id));
    }

    /// <summary><c>consent.appoint_delegate {delegate, mandate, expires}</c>, signed by the patient.</summary>
    private static void AppointDelegate(ContractCall call, Caller caller)
    {
        if (caller.Kind != "patient")
        {
            throw ContractCall.Reject(ConsentErrors.NotAuthorised, "Only a patient appoints their own delegate.");
        }
        var delegation = PutDelegation(call, caller.Id, "appointment", caller.Id, null);
        call.Emit("consent.delegate_appointed", ("patient", caller.Id), ("delegate", delegation.Delegate), ("basis", "appointment"), ("by", caller.Id));
    }

    /// <summary>
    /// <c>consent.record_guardianship {patient, delegate, mandate, basis, orderHash, expires, registrar?}</c>: a court-ordered or parental
    /// guardianship for a patient who cannot act. Authority: a member with the registrar role (or the organisation's key naming one as
    /// <c>registrar</c>) of an organisation that is one of the patient's custodians (<see cref="PatientCustodians"/>); <c>orderHash</c>
    /// is the salted SHA-256 of the order. The event names the patient and every other custodian, who may contest it.
    /// </summary>
    private static void RecordGuardianship(ContractCall call, Caller caller)
    {
        var registrar = caller.ActingFor(call.State, call.Args.GetOptionalString("registrar"));
        if (registrar is not { Kind: "member" } || !registrar.Roles.Contains(Roles.Registrar))
        {
            throw ContractCall.Reject(ConsentErrors.NotAuthorised, "A guardianship is recorded by a member with the registrar role.");
        }
        var patient = RequirePatient(call, call.Args.GetString("patient"));
        var custodians = PatientCustodians.Of(call.State, patient);
        if (!custodians.Contains(registrar.Organisation))
        {
            throw ContractCall.Reject(ConsentErrors.NotAuthorised, $"{registrar.Organisation} is not a custodian of {patient}: only an organisation caring for the patient records a guardianship.");
        }
        var basis = call.Args.GetString("basis");
        var orderHash = call.Args.GetString("orderHash");
        if (basis is not ("court-order" or "parental") || !Identifiers.IsHexHash(orderHash))
        {
            throw ContractCall.Reject(ConsentErrors.BadGrant, "basis is court-order or parental; orderHash is the salted SHA-256 of the order (64 hex digits).");
        }
        var delegation = PutDelegation(call, patient, basis, registrar.Organisation, orderHash);
        call.Emit("consent.guardianship_recorded", ("patient", patient), ("delegate", delegation.Delegate), ("basis", basis), ("orderHash", orderHash),
            ("by", registrar.Id), ("organisation", registrar.Organisation), ("custodians", string.Join(',', custodians.Where(c => c != registrar.Organisation))));
    }

    /// <summary>
    /// <c>consent.contest_guardianship {patient, delegate, reasonHash}</c>: the patient, or another of the patient's custodians (its key, a
    /// registrar or a privacy officer), contests a recorded guardianship. It stops acting at once, until governance resolves it.
    /// </summary>
    private static void ContestGuardianship(ContractCall call, Caller caller)
    {
        var (patient, delegation) = RequireGuardianship(call);
        var mayContest = caller.Kind == "patient" && caller.Id == patient
            || caller.Organisation != delegation.RecordedBy && PatientCustodians.Of(call.State, patient).Contains(caller.Organisation)
               && (caller.Kind == "organisation" || caller.Roles.Contains(Roles.Registrar) || caller.Roles.Contains(Roles.PrivacyOfficer));
        if (!mayContest)
        {
            throw ContractCall.Reject(ConsentErrors.NotAuthorised, "A guardianship is contested by the patient or by another of the patient's custodians.");
        }
        if (delegation.Status != "active" || !Identifiers.IsHexHash(call.Args.GetString("reasonHash")))
        {
            throw ContractCall.Reject(ConsentErrors.BadGrant, "Only an active guardianship is contested, with the salted SHA-256 of the reasons as reasonHash.");
        }
        call.State.Put(ConsentKeys.Delegation(patient, delegation.Delegate), StateJson.Write(delegation with { Status = "contested" }));
        call.Emit("consent.guardianship_contested", ("patient", patient), ("delegate", delegation.Delegate), ("by", caller.Id),
            ("organisation", delegation.RecordedBy));
    }

    /// <summary>
    /// <c>consent.resolve_guardianship {patient, delegate, upheld}</c>, by a governing organisation of the network other than the one that
    /// recorded it: a contested guardianship is upheld (it acts again) or ended.
    /// </summary>
    private static void ResolveGuardianship(ContractCall call, Caller caller)
    {
        if (caller.Kind != "organisation" || StateJson.Read<OrganisationRecord>(call.State.Get(IdentityKeys.Organisation(caller.Id))) is not { Governing: true })
        {
            throw ContractCall.Reject(ConsentErrors.NotAuthorised, "A contested guardianship is resolved by a governing organisation.");
        }
        var (patient, delegation) = RequireGuardianship(call);
        if (caller.Id == delegation.RecordedBy)
        {
            throw ContractCall.Reject(ConsentErrors.NotAuthorised, $"{caller.Id} recorded this guardianship; another governing organisation resolves the contest.");
        }
        if (delegation.Status != "contested")
        {
            throw ContractCall.Reject(ConsentErrors.BadGrant, "Only a contested guardianship is resolved.");
        }
        var upheld = call.Args.GetBoolean("upheld");
        call.State.Put(ConsentKeys.Delegation(patient, delegation.Delegate), StateJson.Write(delegation with { Status = upheld ? "active" : "ended" }));
        call.Emit("consent.guardianship_resolved", ("patient", patient), ("delegate", delegation.Delegate), ("verdict", upheld ? "upheld" : "ended"),
            ("by", caller.Id));
    }

    private static (string Patient, Delegation Delegation) RequireGuardianship(ContractCall call)
    {
        var patient = call.Args.GetString("patient");
        var delegateId = call.Args.GetString("delegate");
        return StateJson.Read<Delegation>(call.State.Get(ConsentKeys.Delegation(patient, delegateId))) is { Basis: "court-order" or "parental" } delegation
            ? (patient, delegation)
            : throw ContractCall.Reject(ConsentErrors.UnknownGrant, $"{delegateId} is not a recorded guardian of {patient}.");
    }

    // A delegation in force is never replaced: it is ended (or contested and resolved) first.
    private static Delegation PutDelegation(ContractCall call, string patient, string basis, string recordedBy, string? orderHash)
    {
        var delegateId = call.Args.GetString("delegate");
        var exists = delegateId.StartsWith("patient:", StringComparison.Ordinal)
            ? call.State.Get(IdentityKeys.Patient(delegateId)) is not null
            : call.State.Get(IdentityKeys.Member(delegateId)) is not null;
        if (!exists || delegateId == patient)
        {
            throw ContractCall.Reject(ConsentErrors.BadGrant, $"{delegateId} is not a registered patient or member other than the patient.");
        }
        var mandate = call.Args.GetStringArray("mandate");
        if (mandate.Count == 0 || !mandate.All(Mandates.Contains))
        {
            throw ContractCall.Reject(ConsentErrors.BadGrant, "mandate is one or more of: grant, revoke, read, append.");
        }
        var expires = call.Args.GetInt64("expires");
        if (expires <= call.Block.Timestamp)
        {
            throw ContractCall.Reject(ConsentErrors.BadGrant, "expires must be in the future.");
        }
        var existing = StateJson.Read<Delegation>(call.State.Get(ConsentKeys.Delegation(patient, delegateId)));
        if (existing is { Status: "active" or "contested" } && call.Block.Timestamp < existing.Expires)
        {
            throw ContractCall.Reject(ConsentErrors.DelegationExists,
                $"{delegateId} already acts for {patient} ({existing.Basis}, recorded by {existing.RecordedBy}); it is ended before another is recorded.");
        }
        var delegation = new Delegation(patient, delegateId, mandate, basis, recordedBy, call.Block.Timestamp, expires, "active", orderHash);
        if (existing is null)
        {
            // The patient's consent index names delegates too, so a decision for anyone else never looks for a delegation.
            var list = StateJson.Read<List<GrantRef>>(call.State.Get(ConsentKeys.PatientGrants(patient))) ?? [];
            list.Add(GrantRef.ForDelegate(delegateId));
            call.State.Put(ConsentKeys.PatientGrants(patient), StateJson.Write(list));
        }
        call.State.Put(ConsentKeys.Delegation(patient, delegateId), StateJson.Write(delegation));
        return delegation;
    }

    /// <summary>
    /// <c>consent.end_delegation {patient, delegate}</c>: the patient ends their own appointment; the organisation that recorded a
    /// guardianship (its key or a registrar) ends it. A patient who disputes a guardianship contests it instead.
    /// </summary>
    private static void EndDelegation(ContractCall call, Caller caller)
    {
        var patient = call.Args.GetString("patient");
        var delegateId = call.Args.GetString("delegate");
        var delegation = StateJson.Read<Delegation>(call.State.Get(ConsentKeys.Delegation(patient, delegateId)))
            ?? throw ContractCall.Reject(ConsentErrors.UnknownGrant, $"{delegateId} is not a delegate of {patient}.");
        var mayEnd = delegation.Basis == "appointment"
            ? caller.Kind == "patient" && caller.Id == patient
            : caller.Organisation == delegation.RecordedBy && (caller.Kind == "organisation" || caller.Roles.Contains(Roles.Registrar));
        if (!mayEnd)
        {
            throw ContractCall.Reject(ConsentErrors.NotAuthorised,
                "The patient ends their own appointments; a guardianship is ended by the organisation that recorded it (or contested and resolved).");
        }
        call.State.Put(ConsentKeys.Delegation(patient, delegateId), StateJson.Write(delegation with { Status = "ended" }));
        call.Emit("consent.delegate_ended", ("patient", patient), ("delegate", delegateId), ("by", caller.Id));
    }

    /// <summary>
    /// <c>consent.break_glass {patient, reasonCode, reasonHash, hours}</c>: a member with the "emergency"
    /// role opens access for at most 24 hours; events go to the patient and the custodian's privacy officer.
    /// </summary>
    private static void BreakGlass(ContractCall call, Caller caller)
    {
        if (caller.Kind != "member" || !caller.Roles.Contains(Roles.Emergency))
        {
            throw ContractCall.Reject(ConsentErrors.NotAuthorised, "Break-glass needs a member with the emergency role.");
        }
        var patient = RequirePatient(call, call.Args.GetString("patient"));
        // The same clinician reopens access to the same patient only once the previous access has been reviewed.
        foreach (var earlier in StateJson.ReadIds(call.State, ConsentKeys.PatientEmergencies(patient)))
        {
            if (StateJson.Read<EmergencyAccess>(call.State.Get(ConsentKeys.Emergency(earlier))) is { Review: "pending" } pending && pending.Clinician == caller.Id)
            {
                throw ContractCall.Reject(ConsentErrors.ReviewPending,
                    $"Your emergency access {earlier} to {patient} waits for a privacy officer's review; it can be reopened after that review.");
            }
        }
        var reasonCode = call.Args.GetString("reasonCode");
        var reasonHash = call.Args.GetString("reasonHash");
        var hours = call.Args.GetInt64("hours");
        if (!EmergencyReasons.Contains(reasonCode) || !Identifiers.IsHexHash(reasonHash) || hours is < 1 or > MaxEmergencyHours)
        {
            throw ContractCall.Reject(ConsentErrors.BadGrant, "reasonCode is unconscious, life-threatening, cannot-consent or other; reasonHash is a salted SHA-256 of the note; hours is 1 to 24.");
        }
        var id = call.Transaction.Id.ToString();
        var access = new EmergencyAccess(id, patient, caller.Id, caller.Organisation, reasonCode, reasonHash, call.Block.Timestamp,
            call.Block.Timestamp + (hours * 3_600_000), "pending", null);
        call.State.Put(ConsentKeys.Emergency(id), StateJson.Write(access));
        StateJson.AppendId(call.State, ConsentKeys.PatientEmergencies(patient), id);
        StateJson.AppendId(call.State, ConsentKeys.ReviewQueue(caller.Organisation), id);
        call.Emit("consent.emergency_opened", ("emergency", id), ("patient", patient), ("clinician", caller.Id),
            ("organisation", caller.Organisation), ("expires", access.Expires.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// <c>consent.review_emergency {emergency, justified}</c>, by a privacy officer of the clinician's organisation. An unjustified access
    /// ends at this block, and the clinician is flagged (<see cref="ConsentKeys.Flag"/>) with the count of their unjustified accesses.
    /// </summary>
    private static void ReviewEmergency(ContractCall call, Caller caller)
    {
        var id = call.Args.GetString("emergency");
        var access = StateJson.Read<EmergencyAccess>(call.State.Get(ConsentKeys.Emergency(id)))
            ?? throw ContractCall.Reject(ConsentErrors.UnknownEmergency, $"No emergency access {id}.");
        if (caller.Kind != "member" || !caller.Roles.Contains(Roles.PrivacyOfficer) || caller.Organisation != access.Organisation)
        {
            throw ContractCall.Reject(ConsentErrors.NotAuthorised, $"Only a privacy officer of {access.Organisation} reviews this access.");
        }
        if (access.Review != "pending")
        {
            throw ContractCall.Reject(ConsentErrors.AlreadyReviewed, $"Emergency access {id} was already reviewed.");
        }
        var justified = call.Args.GetBoolean("justified");
        var verdict = justified ? "justified" : "unjustified";
        var reviewed = access with { Review = verdict, ReviewedBy = caller.Id, Expires = justified ? access.Expires : Math.Min(access.Expires, call.Block.Timestamp) };
        call.State.Put(ConsentKeys.Emergency(id), StateJson.Write(reviewed));
        if (!justified)
        {
            var flag = StateJson.Read<ClinicianFlag>(call.State.Get(ConsentKeys.Flag(access.Clinician))) ?? new ClinicianFlag(access.Clinician, access.Organisation, 0, []);
            flag = flag with { Unjustified = flag.Unjustified + 1, Emergencies = [.. flag.Emergencies, id] };
            call.State.Put(ConsentKeys.Flag(access.Clinician), StateJson.Write(flag));
            call.Emit("consent.clinician_flagged", ("clinician", access.Clinician), ("organisation", access.Organisation), ("emergency", id),
                ("unjustified", flag.Unjustified.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        var queue = StateJson.ReadIds(call.State, ConsentKeys.ReviewQueue(access.Organisation));
        queue.Remove(id);
        call.State.Put(ConsentKeys.ReviewQueue(access.Organisation), StateJson.Write(queue));
        call.Emit("consent.emergency_reviewed", ("emergency", id), ("patient", access.Patient), ("verdict", verdict), ("by", caller.Id));
    }

    private static string RequirePatient(ContractCall call, string patient) =>
        call.State.Get(IdentityKeys.Patient(patient)) is not null
            ? patient
            : throw ContractCall.Reject(ConsentErrors.UnknownPatient, $"No patient {patient}.");

    // The patient themself, or an active delegate whose mandate includes the act.
    private static void RequireActingFor(ContractCall call, Caller caller, string patient, string act)
    {
        if (!AccessDecisionPoint.ActsForPatient(call.State, caller, patient, act, call.Block.Timestamp))
        {
            throw ContractCall.Reject(ConsentErrors.NotAuthorised, $"Only {patient} or a delegate with the '{act}' mandate may do this.");
        }
    }

    private static void RequireGranteeExists(ContractCall call, Grantee grantee)
    {
        var exists = grantee.Kind switch
        {
            "member" => call.State.Get(IdentityKeys.Member(grantee.Id)) is not null,
            "organisation" => call.State.Get(IdentityKeys.Organisation(grantee.Id)) is not null,
            "role" => grantee.Organisation is not null && call.State.Get(IdentityKeys.Organisation(grantee.Organisation)) is not null,
            _ => false,
        };
        if (!exists)
        {
            throw ContractCall.Reject(ConsentErrors.BadGrant, $"Grantee {grantee.Kind} '{grantee.Id}' is not on the ledger.");
        }
    }
}
