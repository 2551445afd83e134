using CareLedger.Core.Crypto;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.Identity;

/// <summary>
/// Identity and governance: governing organisations propose and approve new organisations; an
/// organisation enrols and suspends members and adds or revokes keys; a patient registers a pseudonym
/// bound to their own key and a provider attests it. Names, birth dates and addresses never appear.
/// </summary>
public sealed partial class IdentityContract : IContract
{
    public const string RegisterPatient = "identity.register_patient";

    private static readonly string[] Actions =
        ["propose_organisation", "approve_organisation", "enrol_member", "suspend_member", "add_key", "revoke_key", "rotate_key", "recover_key",
            "register_patient", "attest_patient"];

    public string Name => "identity";

    public bool Handles(string action) => Actions.Contains(action);

    public void Execute(ContractCall call)
    {
        switch (call.Action)
        {
            case "propose_organisation": ProposeOrganisation(call); break;
            case "approve_organisation": ApproveOrganisation(call); break;
            case "enrol_member": EnrolMember(call); break;
            case "suspend_member": SuspendMember(call); break;
            case "add_key": AddKey(call); break;
            case "revoke_key": RevokeKey(call); break;
            case "rotate_key": RotateKey(call); break;
            case "recover_key": RecoverKey(call); break;
            case "register_patient": RegisterPatientAction(call); break;
            case "attest_patient": AttestPatient(call); break;
        }
    }

    /// <summary>
    /// <c>identity.propose_organisation {organisation, kind, governing, publicKeys}</c>, signed by a
    /// governing organisation's key. The proposer's approval counts; the proposal id is the transaction id.
    /// </summary>
    private static void ProposeOrganisation(ContractCall call)
    {
        var proposer = RequireGoverningOrganisation(call);
        var id = call.Args.GetString("organisation");
        RequireIdentifier(id, "org");
        if (call.State.Get(IdentityKeys.Organisation(id)) is not null)
        {
            throw ContractCall.Reject(IdentityErrors.AlreadyExists, $"Organisation {id} already exists.");
        }
        var keys = call.Args.GetStringArray("publicKeys");
        if (keys.Count == 0)
        {
            throw ContractCall.Reject(IdentityErrors.BadKey, "A new organisation needs at least one key.");
        }
        foreach (var key in keys)
        {
            RequireNewKey(call, key);
        }
        var org = new OrganisationRecord(id, call.Args.GetString("kind"), call.Args.GetBoolean("governing"), "active");
        var proposal = new ProposalRecord(call.Transaction.Id.ToString(), org, keys, [proposer], "open");
        call.Emit("identity.organisation_proposed", ("proposal", proposal.Id), ("organisation", id), ("by", proposer));
        Decide(call, proposal);
    }

    /// <summary><c>identity.approve_organisation {proposal}</c>, signed by a governing organisation that has not approved yet.</summary>
    private static void ApproveOrganisation(ContractCall call)
    {
        var approver = RequireGoverningOrganisation(call);
        var id = call.Args.GetString("proposal");
        var proposal = StateJson.Read<ProposalRecord>(call.State.Get(IdentityKeys.Proposal(id)))
            ?? throw ContractCall.Reject(IdentityErrors.UnknownProposal, $"No proposal {id}.");
        if (proposal.Status != "open")
        {
            throw ContractCall.Reject(IdentityErrors.ProposalClosed, $"Proposal {id} is {proposal.Status}.");
        }
        if (proposal.Approvals.Contains(approver))
        {
            throw ContractCall.Reject(IdentityErrors.AlreadyApproved, $"{approver} already approved proposal {id}.");
        }
        call.Emit("identity.organisation_approved", ("proposal", id), ("by", approver));
        Decide(call, proposal with { Approvals = [.. proposal.Approvals, approver] });
    }

    private static void Decide(ContractCall call, ProposalRecord proposal)
    {
        var governance = StateJson.Read<GovernanceRecord>(call.State.Get(IdentityKeys.Governance))!;
        var approvals = proposal.Approvals.Count(governance.Governing.Contains);
        if (approvals * 2 <= governance.Governing.Count)
        {
            call.State.Put(IdentityKeys.Proposal(proposal.Id), StateJson.Write(proposal));
            return;
        }
        var org = proposal.Organisation;
        if (call.State.Get(IdentityKeys.Organisation(org.Id)) is not null)
        {
            throw ContractCall.Reject(IdentityErrors.AlreadyExists, $"Organisation {org.Id} already exists.");
        }
        call.State.Put(IdentityKeys.Proposal(proposal.Id), StateJson.Write(proposal with { Status = "accepted" }));
        call.State.Put(IdentityKeys.Organisation(org.Id), StateJson.Write(org));
        foreach (var key in proposal.PublicKeys)
        {
            var parsed = RequireNewKey(call, key);
            call.State.Put(IdentityKeys.Key(parsed), StateJson.Write(new KeyRecord(parsed.ToString(), key, "organisation", org.Id, org.Id, "active")));
        }
        if (org.Governing)
        {
            call.State.Put(IdentityKeys.Governance, StateJson.Write(governance with
            {
                Governing = [.. governance.Governing.Append(org.Id).Order(StringComparer.Ordinal)],
            }));
        }
        call.Emit("identity.organisation_admitted", ("organisation", org.Id), ("kind", org.Kind), ("proposal", proposal.Id));
    }

    /// <summary><c>identity.enrol_member {member, roles, publicKey}</c>, signed by an organisation key.</summary>
    private static void EnrolMember(ContractCall call)
    {
        var org = RequireOrganisationKey(call);
        var id = call.Args.GetString("member");
        RequireIdentifier(id, "member");
        if (call.State.Get(IdentityKeys.Member(id)) is not null)
        {
            throw ContractCall.Reject(IdentityErrors.AlreadyExists, $"Member {id} already exists.");
        }
        var roles = call.Args.GetStringArray("roles");
        var publicKey = call.Args.GetString("publicKey");
        var keyId = RequireNewKey(call, publicKey);
        call.State.Put(IdentityKeys.Member(id), StateJson.Write(new MemberRecord(id, org, roles, keyId.ToString(), "active")));
        call.State.Put(IdentityKeys.Key(keyId), StateJson.Write(new KeyRecord(keyId.ToString(), publicKey, "member", id, org, "active")));
        call.Emit("identity.member_enrolled", ("member", id), ("organisation", org), ("roles", string.Join(',', roles)));
    }

    /// <summary><c>identity.suspend_member {member}</c>, signed by a key of the member's organisation.</summary>
    private static void SuspendMember(ContractCall call)
    {
        var org = RequireOrganisationKey(call);
        var id = call.Args.GetString("member");
        var member = StateJson.Read<MemberRecord>(call.State.Get(IdentityKeys.Member(id)))
            ?? throw ContractCall.Reject(IdentityErrors.UnknownMember, $"No member {id}.");
        if (member.Organisation != org)
        {
            throw ContractCall.Reject(IdentityErrors.NotAuthorised, $"{org} cannot suspend a member of {member.Organisation}.");
        }
        call.State.Put(IdentityKeys.Member(id), StateJson.Write(member with { Status = "suspended" }));
        call.Emit("identity.member_suspended", ("member", id), ("organisation", org));
    }

    /// <summary><c>identity.add_key {publicKey}</c>: an organisation adds a key (rotation starts here).</summary>
    private static void AddKey(ContractCall call)
    {
        var org = RequireOrganisationKey(call);
        var publicKey = call.Args.GetString("publicKey");
        var keyId = RequireNewKey(call, publicKey);
        call.State.Put(IdentityKeys.Key(keyId), StateJson.Write(new KeyRecord(keyId.ToString(), publicKey, "organisation", org, org, "active")));
        call.Emit("identity.key_added", ("organisation", org), ("key", keyId.ToString()));
    }

    /// <summary><c>identity.revoke_key {keyId}</c>: an organisation revokes one of its own or its members' keys.</summary>
    private static void RevokeKey(ContractCall call)
    {
        var org = RequireOrganisationKey(call);
        if (!KeyId.TryParse(call.Args.GetString("keyId"), out var keyId))
        {
            throw ContractCall.Reject(IdentityErrors.BadKey, "keyId must be 64 hex digits.");
        }
        var record = StateJson.Read<KeyRecord>(call.State.Get(IdentityKeys.Key(keyId)))
            ?? throw ContractCall.Reject(IdentityErrors.UnknownKey, $"No key {keyId}.");
        if (record.Organisation != org)
        {
            throw ContractCall.Reject(IdentityErrors.NotAuthorised, $"{org} cannot revoke a key of {record.Owner}.");
        }
        call.State.Put(IdentityKeys.Key(keyId), StateJson.Write(record with { Status = "revoked" }));
        call.Emit("identity.key_revoked", ("organisation", org), ("key", keyId.ToString()));
    }

    /// <summary>
    /// <c>identity.register_patient {publicKey}</c>, signed by that very key. The pseudonym is derived
    /// from the key id, so it says nothing about the person.
    /// </summary>
    private static void RegisterPatientAction(ContractCall call)
    {
        var signer = call.Transaction.Signer;
        if (call.State.Get(IdentityKeys.Key(signer)) is not null)
        {
            throw ContractCall.Reject(IdentityErrors.AlreadyExists, "This key is already registered.");
        }
        var id = IdentityKeys.PatientIdFor(signer);
        call.State.Put(IdentityKeys.Patient(id), StateJson.Write(new PatientRecord(id, signer.ToString(), "registered", null)));
        call.State.Put(IdentityKeys.Key(signer), StateJson.Write(new KeyRecord(signer.ToString(), call.Args.GetString("publicKey"), "patient", id, "", "active")));
        call.Emit("identity.patient_registered", ("patient", id));
    }

    /// <summary>
    /// <c>identity.attest_patient {patient}</c>: a provider organisation (or its member) vouches it proofed the patient's identity off-ledger.
    /// A patient is attested once: the attesting provider becomes one of the patient's custodians (with authority in guardianship and
    /// key recovery), so another organisation cannot take that place by attesting again.
    /// </summary>
    private static void AttestPatient(ContractCall call)
    {
        var key = SignerKey(call);
        var org = StateJson.Read<OrganisationRecord>(call.State.Get(IdentityKeys.Organisation(key.Organisation)));
        if (key.OwnerKind is not ("organisation" or "member") || org is null || !OrganisationKinds.Providers.Contains(org.Kind))
        {
            throw ContractCall.Reject(IdentityErrors.NotAuthorised, "Only a care provider may attest a patient.");
        }
        var id = call.Args.GetString("patient");
        var patient = StateJson.Read<PatientRecord>(call.State.Get(IdentityKeys.Patient(id)))
            ?? throw ContractCall.Reject(IdentityErrors.UnknownPatient, $"No patient {id}.");
        if (patient.AttestedBy is { } earlier && earlier != org.Id)
        {
            throw ContractCall.Reject(IdentityErrors.AlreadyAttested, $"{id} was attested by {earlier}.");
        }
        call.State.Put(IdentityKeys.Patient(id), StateJson.Write(patient with { Status = "attested", AttestedBy = org.Id }));
        call.Emit("identity.patient_attested", ("patient", id), ("organisation", org.Id));
    }

    private static KeyRecord SignerKey(ContractCall call) =>
        StateJson.Read<KeyRecord>(call.State.Get(IdentityKeys.Key(call.Transaction.Signer)))
        ?? throw ContractCall.Reject(IdentityErrors.NotAuthorised, "The signer has no registered key.");

    private static string RequireOrganisationKey(ContractCall call)
    {
        var key = SignerKey(call);
        if (key.OwnerKind != "organisation")
        {
            throw ContractCall.Reject(IdentityErrors.NotAuthorised, "This action needs an organisation key.");
        }
        return key.Owner;
    }

    internal static string RequireGoverningOrganisation(ContractCall call)
    {
        var org = RequireOrganisationKey(call);
        var governance = StateJson.Read<GovernanceRecord>(call.State.Get(IdentityKeys.Governance))!;
        if (!governance.Governing.Contains(org))
        {
            throw ContractCall.Reject(IdentityErrors.NotAuthorised, $"{org} is not a governing organisation.");
        }
        return org;
    }

    private static void RequireIdentifier(string id, string prefix)
    {
        if (!Identifiers.IsValid(id, prefix))
        {
            throw ContractCall.Reject(IdentityErrors.BadIdentifier, $"'{id}' is not a pseudonymous {prefix}: identifier ({prefix}:[a-z0-9._-], at most 64).");
        }
    }

    /// <summary>The key id of a base64 DER SubjectPublicKeyInfo; a rejection with <paramref name="code"/> when it is not a P-256 key.</summary>
    internal static KeyId RequireKeyId(string base64Spki, string code)
    {
        try
        {
            using var key = PublicKey.FromSubjectPublicKeyInfo(Convert.FromBase64String(base64Spki));
            return key.Id;
        }
        catch (FormatException)
        {
            throw ContractCall.Reject(code, "publicKey must be a base64 DER SubjectPublicKeyInfo of a P-256 key.");
        }
    }

    private static KeyId RequireNewKey(ContractCall call, string base64Spki)
    {
        var id = RequireKeyId(base64Spki, IdentityErrors.BadKey);
        if (call.State.Get(IdentityKeys.Key(id)) is not null)
        {
            throw ContractCall.Reject(IdentityErrors.AlreadyExists, $"Key {id} is already registered.");
        }
        return id;
    }
}
