using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Records;
using CareLedger.Core.Crypto;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.Identity;

/// <summary>
/// A key's life after registration: its holder rotates it (signed by the old key), and a lost or stolen key is replaced by those the
/// ledger says may act: a member's organisation, or for a patient one delegate together with one custodian. The new key proves
/// possession by signing <see cref="ProofText"/>; the old key is revoked in the same write, so it signs nothing from the next block on.
/// </summary>
public sealed partial class IdentityContract
{
    /// <summary>How long a half-approved patient recovery waits for its second party, in milliseconds (7 days).</summary>
    public const long RecoveryWindow = 7L * 24 * 3_600_000;

    /// <summary>What a new key signs to show its holder has it: the chain and the identity it will belong to.</summary>
    public static string ProofText(string chain, string owner) => $"careledger-key:{chain}:{owner}";

    /// <summary><c>identity.rotate_key {publicKey, proof}</c>, signed by the key being replaced (a patient's, a member's or an organisation's).</summary>
    private static void RotateKey(ContractCall call)
    {
        var old = SignerKey(call);
        var (newId, publicKey) = RequireProvenKey(call, old.Owner);
        Replace(call, old, newId, publicKey, "rotated");
    }

    /// <summary>
    /// <c>identity.recover_key {owner, publicKey, proof}</c>: replaces a lost or stolen key. A member's is replaced by their organisation's
    /// key at once. A patient's needs two independent parties: an active delegate of the patient with the grant mandate, and one of the
    /// patient's custodians (its key or a registrar) that neither employs that delegate nor recorded their guardianship. The first to
    /// ask opens the recovery, the other completes it with the same key; no one organisation can do both.
    /// </summary>
    private static void RecoverKey(ContractCall call)
    {
        var owner = call.Args.GetString("owner");
        var (newId, publicKey) = RequireProvenKey(call, owner);
        if (owner.StartsWith("member:", StringComparison.Ordinal))
        {
            var member = StateJson.Read<MemberRecord>(call.State.Get(IdentityKeys.Member(owner)))
                ?? throw ContractCall.Reject(IdentityErrors.UnknownMember, $"No member {owner}.");
            if (RequireOrganisationKey(call) != member.Organisation)
            {
                throw ContractCall.Reject(IdentityErrors.NotAuthorised, $"Only {member.Organisation} recovers the key of its member {owner}.");
            }
            Replace(call, CurrentKey(call, member.KeyId), newId, publicKey, "recovered");
            return;
        }
        var patient = StateJson.Read<PatientRecord>(call.State.Get(IdentityKeys.Patient(owner)))
            ?? throw ContractCall.Reject(IdentityErrors.UnknownPatient, $"No patient {owner}.");
        var caller = Caller.Resolve(call.State, call.Transaction.Signer)
            ?? throw ContractCall.Reject(IdentityErrors.NotAuthorised, "The signer is not an active identity.");
        var asDelegate = caller.Id != owner && AccessDecisionPoint.ActsForPatient(call.State, caller, owner, "grant", call.Block.Timestamp);
        var asCustodian = caller.Kind is "organisation" or "member" && PatientCustodians.Of(call.State, owner).Contains(caller.Organisation)
            && (caller.Kind == "organisation" || caller.Roles.Contains(Roles.Registrar));
        if (!asDelegate && !asCustodian)
        {
            throw ContractCall.Reject(IdentityErrors.NotAuthorised, $"A patient's key is recovered by one of their delegates and one of their custodians together.");
        }
        var pending = StateJson.Read<KeyRecovery>(call.State.Get(IdentityKeys.Recovery(owner)));
        if (pending is not null && call.Block.Timestamp - pending.Opened >= RecoveryWindow)
        {
            pending = null;
        }
        if (pending is not null && pending.KeyId != newId.ToString())
        {
            throw ContractCall.Reject(IdentityErrors.RecoveryPending, $"A recovery of {owner}'s key to another key is pending until it completes or lapses after 7 days.");
        }
        var recovery = pending ?? new KeyRecovery(owner, newId.ToString(), publicKey, null, null, call.Block.Timestamp);
        recovery = asDelegate ? recovery with { Delegate = recovery.Delegate ?? caller.Id } : recovery with { Custodian = recovery.Custodian ?? caller.Organisation };
        if (recovery is { Delegate: { } delegateId, Custodian: { } custodian } && !Independent(call, owner, delegateId, custodian))
        {
            throw ContractCall.Reject(IdentityErrors.NotAuthorised,
                $"{custodian} employs {delegateId} or recorded their guardianship; another custodian completes the recovery.");
        }
        if (recovery.Delegate is null || recovery.Custodian is null)
        {
            call.State.Put(IdentityKeys.Recovery(owner), StateJson.Write(recovery));
            call.Emit("identity.key_recovery_opened", ("patient", owner), ("key", recovery.KeyId), ("by", caller.Id));
            return;
        }
        call.State.Delete(IdentityKeys.Recovery(owner));
        Replace(call, CurrentKey(call, patient.KeyId), newId, publicKey, "recovered");
    }

    // The custodian is neither the delegate's employer nor the organisation that made them a guardian.
    private static bool Independent(ContractCall call, string patient, string delegateId, string custodian) =>
        StateJson.Read<MemberRecord>(call.State.Get(IdentityKeys.Member(delegateId)))?.Organisation != custodian
        && StateJson.Read<Delegation>(call.State.Get(ConsentKeys.Delegation(patient, delegateId)))?.RecordedBy != custodian;

    // The new key's id, after checking it is new and that its holder signed the proof text for this owner on this chain.
    private static (KeyId Id, string PublicKey) RequireProvenKey(ContractCall call, string owner)
    {
        var publicKey = call.Args.GetString("publicKey");
        var id = RequireNewKey(call, publicKey);
        using var key = PublicKey.FromSubjectPublicKeyInfo(Convert.FromBase64String(publicKey));
        byte[] proof;
        try
        {
            proof = Convert.FromBase64String(call.Args.GetString("proof"));
        }
        catch (FormatException)
        {
            proof = [];
        }
        if (!key.Verify(System.Text.Encoding.UTF8.GetBytes(ProofText(call.Transaction.Chain, owner)), proof))
        {
            throw ContractCall.Reject(IdentityErrors.BadProof, $"proof is the new key's ES256 signature (base64) over \"{ProofText(call.Transaction.Chain, owner)}\".");
        }
        return (id, publicKey);
    }

    private static KeyRecord CurrentKey(ContractCall call, string keyId) =>
        KeyId.TryParse(keyId, out var id) && StateJson.Read<KeyRecord>(call.State.Get(IdentityKeys.Key(id))) is { } record ? record
            : throw ContractCall.Reject(IdentityErrors.UnknownKey, $"No key {keyId}.");

    // The new key takes the old one's place for the same owner; the old key is revoked; the owner's record points at the new key.
    private static void Replace(ContractCall call, KeyRecord old, KeyId newId, string publicKey, string how)
    {
        if (!KeyId.TryParse(old.KeyId, out var oldId))
        {
            throw ContractCall.Reject(IdentityErrors.UnknownKey, $"No key {old.KeyId}.");
        }
        call.State.Put(IdentityKeys.Key(oldId), StateJson.Write(old with { Status = "revoked" }));
        call.State.Put(IdentityKeys.Key(newId), StateJson.Write(new KeyRecord(newId.ToString(), publicKey, old.OwnerKind, old.Owner, old.Organisation, "active")));
        switch (old.OwnerKind)
        {
            case "member" when StateJson.Read<MemberRecord>(call.State.Get(IdentityKeys.Member(old.Owner))) is { } member:
                call.State.Put(IdentityKeys.Member(old.Owner), StateJson.Write(member with { KeyId = newId.ToString() }));
                break;
            case "patient" when StateJson.Read<PatientRecord>(call.State.Get(IdentityKeys.Patient(old.Owner))) is { } patient:
                call.State.Put(IdentityKeys.Patient(old.Owner), StateJson.Write(patient with { KeyId = newId.ToString() }));
                break;
        }
        call.Emit("identity.key_" + how, ("owner", old.Owner), ("revoked", oldId.ToString()), ("key", newId.ToString()));
    }
}
