using CareLedger.Contracts;
using CareLedger.Contracts.Identity;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Testing;

namespace CareLedger.Ledger.Tests.Contracts;

public class IdentityContractTests
{
    private static string Spki(SigningKey key) => Convert.ToBase64String(key.PublicKey.SubjectPublicKeyInfo);

    private static TransactionResult Only(Block block) => Assert.Single(block.Results);

    [Fact]
    public void A_new_organisation_needs_a_majority_of_the_governing_organisations()
    {
        using var chain = TestChain.InMemory(governingOrganisations: 3);
        using var pharmacy = SigningKey.Generate();
        var propose = chain.Sign(chain.OrgKeys[0], "identity.propose_organisation",
            $$"""{"organisation":"org:city-pharmacy","kind":"Pharmacy","governing":false,"publicKeys":["{{Spki(pharmacy)}}"]}""");
        Assert.Equal(TransactionStatus.Committed, Only(chain.Commit(propose)).Status);
        Assert.Null(chain.Engine.State.Get(IdentityKeys.Organisation("org:city-pharmacy")));

        var again = chain.Sign(chain.OrgKeys[0], "identity.approve_organisation", $$"""{"proposal":"{{propose.Id}}"}""");
        Assert.Equal(IdentityErrors.AlreadyApproved, Only(chain.Commit(again)).Code);

        var approve = chain.Sign(chain.OrgKeys[1], "identity.approve_organisation", $$"""{"proposal":"{{propose.Id}}"}""");
        var admitted = Only(chain.Commit(approve));
        Assert.Contains(admitted.Events, e => e.Type == "identity.organisation_admitted");
        Assert.Equal("active", StateJson.Read<OrganisationRecord>(chain.Engine.State.Get(IdentityKeys.Organisation("org:city-pharmacy")))!.Status);

        // The new organisation's key now signs.
        Assert.Equal(TransactionStatus.Committed, Only(chain.Commit(chain.Anchor(key: pharmacy))).Status);
        var late = chain.Sign(chain.OrgKeys[2], "identity.approve_organisation", $$"""{"proposal":"{{propose.Id}}"}""");
        Assert.Equal(IdentityErrors.ProposalClosed, Only(chain.Commit(late)).Code);
    }

    [Fact]
    public void Only_governing_organisations_may_propose()
    {
        using var chain = TestChain.InMemory();
        using var member = SigningKey.Generate();
        chain.Commit(chain.Sign(chain.OrgKeys[0], "identity.enrol_member", $$"""{"member":"member:dr-0042","roles":["clinician"],"publicKey":"{{Spki(member)}}"}"""));
        var propose = chain.Sign(member, "identity.propose_organisation", $$"""{"organisation":"org:x","kind":"Clinic","governing":false,"publicKeys":["{{Spki(member)}}"]}""");
        Assert.Equal(IdentityErrors.NotAuthorised, Only(chain.Commit(propose)).Code);
    }

    [Fact]
    public void Members_are_enrolled_with_roles_and_a_suspended_member_cannot_sign()
    {
        using var chain = TestChain.InMemory();
        using var doctor = SigningKey.Generate();
        var enrol = Only(chain.Commit(chain.Sign(chain.OrgKeys[0], "identity.enrol_member",
            $$"""{"member":"member:dr-0042","roles":["clinician","emergency"],"publicKey":"{{Spki(doctor)}}"}""")));
        Assert.Equal(TransactionStatus.Committed, enrol.Status);
        var record = StateJson.Read<MemberRecord>(chain.Engine.State.Get(IdentityKeys.Member("member:dr-0042")))!;
        Assert.Equal(["clinician", "emergency"], record.Roles);
        Assert.Equal(TransactionStatus.Committed, Only(chain.Commit(chain.Anchor(key: doctor))).Status);

        chain.Commit(chain.Sign(chain.OrgKeys[0], "identity.suspend_member", """{"member":"member:dr-0042"}"""));
        Assert.Equal(LedgerErrorCodes.InactiveSigner, Only(chain.Commit(chain.Anchor(key: doctor))).Code);
    }

    [Theory]
    [InlineData("member:John Smith")]
    [InlineData("member:1970-01-01 jones")]
    [InlineData("Member:abc")]
    [InlineData("patient:abc")]
    public void Identifiers_that_could_carry_names_are_refused(string id)
    {
        using var chain = TestChain.InMemory();
        using var key = SigningKey.Generate();
        var result = Only(chain.Commit(chain.Sign(chain.OrgKeys[0], "identity.enrol_member", $$"""{"member":"{{id}}","roles":[],"publicKey":"{{Spki(key)}}"}""")));
        Assert.Equal(IdentityErrors.BadIdentifier, result.Code);
    }

    [Fact]
    public void A_patient_registers_with_their_own_key_and_a_provider_attests_it()
    {
        using var chain = TestChain.InMemory();
        using var patient = SigningKey.Generate();
        using var other = SigningKey.Generate();
        var register = chain.Sign(patient, "identity.register_patient", $$"""{"publicKey":"{{Spki(patient)}}"}""");
        var registered = Only(chain.Commit(register));
        Assert.Equal(TransactionStatus.Committed, registered.Status);
        var id = IdentityKeys.PatientIdFor(patient.Id);
        Assert.Equal(id, registered.Events[0].Attributes["patient"]);

        // Someone else's key in the arguments does not register: the signer must prove possession.
        var stolen = chain.Sign(other, "identity.register_patient", $$"""{"publicKey":"{{Spki(patient)}}"}""");
        Assert.Equal(LedgerErrorCodes.UnknownSigner, Only(chain.Commit(stolen)).Code);

        var selfAttest = chain.Sign(patient, "identity.attest_patient", $$"""{"patient":"{{id}}"}""");
        Assert.Equal(IdentityErrors.NotAuthorised, Only(chain.Commit(selfAttest)).Code);
        var attest = chain.Sign(chain.OrgKeys[0], "identity.attest_patient", $$"""{"patient":"{{id}}"}""");
        Assert.Equal(TransactionStatus.Committed, Only(chain.Commit(attest)).Status);
        var record = StateJson.Read<PatientRecord>(chain.Engine.State.Get(IdentityKeys.Patient(id)))!;
        Assert.Equal(("attested", "org:founder-0"), (record.Status, record.AttestedBy));

        // Attesting makes a provider one of the patient's custodians: another provider cannot take that place by attesting again.
        using var clinic = SigningKey.Generate();
        Assert.Equal(TransactionStatus.Committed, Only(chain.Commit(chain.Sign(chain.OrgKeys[0], "identity.propose_organisation",
            $$"""{"organisation":"org:other-clinic","kind":"Clinic","governing":false,"publicKeys":["{{Spki(clinic)}}"]}"""))).Status);
        Assert.Equal(IdentityErrors.AlreadyAttested, Only(chain.Commit(chain.Sign(clinic, "identity.attest_patient", $$"""{"patient":"{{id}}"}"""))).Code);
        Assert.Equal("org:founder-0", StateJson.Read<PatientRecord>(chain.Engine.State.Get(IdentityKeys.Patient(id)))!.AttestedBy);
    }

    [Fact]
    public void An_organisation_cannot_revoke_another_organisations_key()
    {
        using var chain = TestChain.InMemory(governingOrganisations: 2);
        var revoke = chain.Sign(chain.OrgKeys[0], "identity.revoke_key", $$"""{"keyId":"{{chain.OrgKeys[1].Id}}"}""");
        Assert.Equal(IdentityErrors.NotAuthorised, Only(chain.Commit(revoke)).Code);
    }
}
