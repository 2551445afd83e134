using CareLedger.Contracts;
using CareLedger.Contracts.Consent;
using CareLedger.Core.Ledger;

namespace CareLedger.Ledger.Tests.Contracts;

public sealed class AccessRequestTests
{
    [Fact]
    public void A_clinician_asks_and_the_patient_answers_with_a_grant_or_declines()
    {
        using var f = new ConsentFixture();
        var ask = $$"""{"patient":"{{f.PatientId}}","actions":["read"],"purposes":["TREAT"],"reason":"referral"}""";
        Assert.Equal(ConsentErrors.BadGrant, f.Submit(f.Members["member:doctor"], "consent.request_access", ask.Replace("referral", "Jane's chest pain", StringComparison.Ordinal)).Code);
        Assert.Equal(ConsentErrors.NotAuthorised, f.Submit(f.Patient, "consent.request_access", ask).Code);
        var asked = f.Submit(f.Members["member:doctor"], "consent.request_access", ask);
        Assert.Equal(TransactionStatus.Committed, asked.Status);
        var request = asked.TransactionId.ToString();
        var second = f.Submit(f.Members["member:nurse"], "consent.request_access", ask).TransactionId.ToString();

        var grant = $$"""{"patient":"{{f.PatientId}}","grantee":{"kind":"member","id":"member:doctor"},"actions":["read"],"purposes":["TREAT"],"expires":{{f.Chain.Now + 3_600_000}},"request":"{{request}}"}""";
        Assert.Equal(ConsentErrors.BadGrant, f.Submit(f.Patient, "consent.grant", grant.Replace(request, second, StringComparison.Ordinal)).Code);
        Assert.Equal(ConsentErrors.NotAuthorised, f.Submit(f.Members["member:doctor"], "consent.grant", grant).Code);
        var granted = f.Submit(f.Patient, "consent.grant", grant);
        Assert.Equal(TransactionStatus.Committed, granted.Status);
        var answered = StateJson.Read<AccessRequestRecord>(f.Chain.Engine.State.Get(ConsentKeys.Request(request)))!;
        Assert.Equal(("granted", granted.TransactionId.ToString()), (answered.Status, answered.Grant));
        Assert.True(f.Decide(f.Members["member:doctor"], new RecordRef("record:1", "laboratory", "Observation")).Permit);

        Assert.Equal(TransactionStatus.Committed, f.Submit(f.Patient, "consent.decline_request", $$"""{"request":"{{second}}"}""").Status);
        Assert.Equal(ConsentErrors.UnknownGrant, f.Submit(f.Patient, "consent.decline_request", $$"""{"request":"{{second}}"}""").Code);
        Assert.Equal(["granted", "declined"], StateJson.ReadIds(f.Chain.Engine.State, ConsentKeys.PatientRequests(f.PatientId))
            .Select(id => StateJson.Read<AccessRequestRecord>(f.Chain.Engine.State.Get(ConsentKeys.Request(id)))!.Status));
    }
}
