using CareLedger.Contracts;
using CareLedger.Contracts.Consent;
using CareLedger.Core.Ledger;
using CareLedger.Ledger.Execution;

namespace CareLedger.Ledger.Tests.Contracts;

/// <summary>What a decision reads: the patient's consent index and the caller's own grants; a delegation only for a delegate.</summary>
public sealed class AccessDecisionReadsTests
{
    private sealed class CountingReader(IStateReader inner) : IStateReader
    {
        public List<string> Keys { get; } = [];

        public byte[]? Get(string key)
        {
            Keys.Add(key);
            return inner.Get(key);
        }
    }

    [Fact]
    public void A_grantee_costs_three_reads_and_a_delegate_is_found_through_the_index()
    {
        using var f = new ConsentFixture();
        var expires = f.Chain.Now + 3_600_000;
        Assert.Equal(TransactionStatus.Committed, f.Submit(f.Patient, "consent.grant",
            $$"""{"patient":"{{f.PatientId}}","grantee":{"kind":"member","id":"member:doctor"},"actions":["read"],"purposes":["TREAT"],"expires":{{expires}}}""").Status);
        Assert.Equal(TransactionStatus.Committed, f.Submit(f.Patient, "consent.appoint_delegate",
            $$"""{"delegate":"member:nurse","mandate":["read"],"expires":{{expires}}}""").Status);
        Assert.Equal(TransactionStatus.Committed, f.Submit(f.Patient, "consent.end_delegation", $$"""{"patient":"{{f.PatientId}}","delegate":"member:nurse"}""").Status);
        Assert.Equal(TransactionStatus.Committed, f.Submit(f.Patient, "consent.appoint_delegate",
            $$"""{"delegate":"member:nurse","mandate":["read","append"],"expires":{{expires}}}""").Status);
        var record = new RecordRef("record:1", "laboratory", "Observation");

        var reader = new CountingReader(f.Chain.Engine.State);
        var doctor = AccessDecisionPoint.Decide(reader, new AccessRequest(f.CallerOf(f.Members["member:doctor"]), f.PatientId, record, "read", PurposeOfUse.Treatment, f.Chain.Now));
        Assert.Equal((true, "consent.granted"), (doctor.Permit, doctor.Reason));
        // The patient's index, the caller's organisation (may it claim the purpose?), the grant.
        Assert.Equal([ConsentKeys.PatientGrants(f.PatientId), CareLedger.Contracts.Identity.IdentityKeys.Organisation("org:founder-0"), ConsentKeys.Grant(doctor.GrantId!)],
            reader.Keys);

        var nurse = AccessDecisionPoint.Decide(f.Chain.Engine.State, new AccessRequest(f.CallerOf(f.Members["member:nurse"]), f.PatientId, record, "append", PurposeOfUse.Treatment, f.Chain.Now));
        Assert.Equal((true, "consent.delegate"), (nurse.Permit, nurse.Reason));
        var index = StateJson.Read<List<GrantRef>>(f.Chain.Engine.State.Get(ConsentKeys.PatientGrants(f.PatientId)))!;
        Assert.Single(index, e => e.IsDelegate);
    }
}
