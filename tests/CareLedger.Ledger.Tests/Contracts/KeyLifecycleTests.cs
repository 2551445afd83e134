using CareLedger.Contracts;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Identity;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Testing;

namespace CareLedger.Ledger.Tests.Contracts;

public class KeyLifecycleTests
{
    private static string Rotation(ConsentFixture f, SigningKey next, string owner, string? ownerArg = null) =>
        $$"""{{{(ownerArg is null ? "" : $"\"owner\":\"{ownerArg}\",")}}"publicKey":"{{ConsentFixture.Spki(next)}}","proof":"{{Convert.ToBase64String(next.Sign(System.Text.Encoding.UTF8.GetBytes(IdentityContract.ProofText(f.Chain.Genesis.Chain, owner))).Span)}}"}""";

    private static KeyRecord Key(ConsentFixture f, SigningKey key) => StateJson.Read<KeyRecord>(f.Chain.Engine.State.Get(IdentityKeys.Key(key.Id)))!;

    [Fact]
    public void A_patient_rotates_their_key_with_the_old_one_and_the_old_one_signs_nothing_after()
    {
        using var f = new ConsentFixture();
        using var next = SigningKey.Generate();
        using var stranger = SigningKey.Generate();
        // A proof signed by another key than the one registered is refused.
        var forged = Rotation(f, stranger, f.PatientId).Replace(ConsentFixture.Spki(stranger), ConsentFixture.Spki(next), StringComparison.Ordinal);
        Assert.Equal(IdentityErrors.BadProof, f.Submit(f.Patient, "identity.rotate_key", forged).Code);

        var rotated = f.Submit(f.Patient, "identity.rotate_key", Rotation(f, next, f.PatientId));
        Assert.Equal(TransactionStatus.Committed, rotated.Status);
        Assert.Equal(("revoked", "active", f.PatientId), (Key(f, f.Patient).Status, Key(f, next).Status, Key(f, next).Owner));
        Assert.Equal(next.Id.ToString(), StateJson.Read<PatientRecord>(f.Chain.Engine.State.Get(IdentityKeys.Patient(f.PatientId)))!.KeyId);
        // The same pseudonym: the new key acts for the patient, the old one is refused at the door.
        Assert.Equal(f.PatientId, Caller.Resolve(f.Chain.Engine.State, next.Id)!.Id);
        var stale = f.Chain.Commit(f.Chain.Sign(f.Patient, "consent.revoke", """{"grant":"x"}"""));
        Assert.Equal(LedgerErrorCodes.InactiveSigner, Assert.Single(stale.Results).Code);
    }

    [Fact]
    public void A_lost_patient_key_is_replaced_only_by_a_delegate_and_a_custodian_together()
    {
        using var f = new ConsentFixture();
        using var next = SigningKey.Generate();
        var args = Rotation(f, next, f.PatientId, ownerArg: f.PatientId);
        // Nobody alone: not another organisation, not a clinician, not the custodian before it cares for the patient.
        Assert.Equal(IdentityErrors.NotAuthorised, f.Submit(f.Chain.OrgKeys[1], "identity.recover_key", args).Code);
        Assert.Equal(IdentityErrors.NotAuthorised, f.Submit(f.Members["member:doctor"], "identity.recover_key", args).Code);
        Assert.Equal(IdentityErrors.NotAuthorised, f.Submit(f.Members["member:registrar"], "identity.recover_key", args).Code);

        Assert.Equal(TransactionStatus.Committed, f.Submit(f.Chain.OrgKeys[0], "identity.attest_patient", $$"""{"patient":"{{f.PatientId}}"}""").Status);
        // The patient's proxy works for the insurer, not for the hospital that cares for the patient: two independent parties.
        Assert.Equal(TransactionStatus.Committed, f.Submit(f.Patient, "consent.appoint_delegate",
            $$"""{"delegate":"member:claims","mandate":["grant"],"expires":{{f.Chain.Now + 3_600_000}}}""").Status);

        var opened = f.Submit(f.Members["member:registrar"], "identity.recover_key", args);
        Assert.Contains(opened.Events, e => e.Type == "identity.key_recovery_opened");
        Assert.Equal("active", Key(f, f.Patient).Status);
        // The same party again does not complete it, nor does a recovery to a different key start alongside.
        Assert.Equal(TransactionStatus.Committed, f.Submit(f.Chain.OrgKeys[0], "identity.recover_key", args).Status);
        Assert.Equal("active", Key(f, f.Patient).Status);
        using var other = SigningKey.Generate();
        Assert.Equal(IdentityErrors.RecoveryPending, f.Submit(f.Members["member:claims"], "identity.recover_key", Rotation(f, other, f.PatientId, f.PatientId)).Code);

        var completed = f.Submit(f.Members["member:claims"], "identity.recover_key", args);
        Assert.Contains(completed.Events, e => e.Type == "identity.key_recovered");
        Assert.Equal(("revoked", "active"), (Key(f, f.Patient).Status, Key(f, next).Status));
        Assert.Equal(f.PatientId, Caller.Resolve(f.Chain.Engine.State, next.Id)!.Id);
    }

    [Fact]
    public void One_organisation_cannot_take_over_a_patients_key_through_a_guardian_of_its_own()
    {
        using var f = new ConsentFixture();
        using var attacker = SigningKey.Generate();
        // The hospital cares for the patient, so it may record a guardianship, and it names one of its own nurses.
        Assert.Equal(TransactionStatus.Committed, f.Submit(f.Chain.OrgKeys[0], "identity.attest_patient", $$"""{"patient":"{{f.PatientId}}"}""").Status);
        Assert.Equal(TransactionStatus.Committed, f.Submit(f.Members["member:registrar"], "consent.record_guardianship",
            $$"""{"patient":"{{f.PatientId}}","delegate":"member:nurse","mandate":["grant"],"basis":"court-order","orderHash":"{{TestChain.RandomHash()}}","expires":{{f.Chain.Now + 3_600_000}}}""").Status);
        var args = Rotation(f, attacker, f.PatientId, ownerArg: f.PatientId);
        Assert.Contains(f.Submit(f.Members["member:nurse"], "identity.recover_key", args).Events, e => e.Type == "identity.key_recovery_opened");
        // The hole: its own key (or registrar) then completed the recovery and held the patient's identity.
        Assert.Equal(IdentityErrors.NotAuthorised, f.Submit(f.Chain.OrgKeys[0], "identity.recover_key", args).Code);
        Assert.Equal(IdentityErrors.NotAuthorised, f.Submit(f.Members["member:registrar"], "identity.recover_key", args).Code);
        Assert.Equal("active", Key(f, f.Patient).Status);
        Assert.Null(Caller.Resolve(f.Chain.Engine.State, attacker.Id));
    }

    [Fact]
    public void A_members_lost_key_is_replaced_by_their_own_organisation_only()
    {
        using var f = new ConsentFixture();
        using var next = SigningKey.Generate();
        var args = Rotation(f, next, "member:doctor", ownerArg: "member:doctor");
        Assert.Equal(IdentityErrors.NotAuthorised, f.Submit(f.Chain.OrgKeys[1], "identity.recover_key", args).Code);
        Assert.Equal(TransactionStatus.Committed, f.Submit(f.Chain.OrgKeys[0], "identity.recover_key", args).Status);
        Assert.Equal("revoked", Key(f, f.Members["member:doctor"]).Status);
        Assert.Equal(("member", "member:doctor", "org:founder-0"), (Caller.Resolve(f.Chain.Engine.State, next.Id)!.Kind, Caller.Resolve(f.Chain.Engine.State, next.Id)!.Id,
            Caller.Resolve(f.Chain.Engine.State, next.Id)!.Organisation));
        Assert.Equal(IdentityErrors.AlreadyExists, f.Submit(f.Chain.OrgKeys[0], "identity.recover_key", args).Code);
    }
}
