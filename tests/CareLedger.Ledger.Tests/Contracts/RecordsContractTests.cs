using CareLedger.Contracts;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Records;
using CareLedger.Core.Ledger;
using CareLedger.Testing;

namespace CareLedger.Ledger.Tests.Contracts;

public class RecordsContractTests
{
    private static string Register(ConsentFixture f, string category = "laboratory", string type = "Observation") =>
        $$"""{"patient":"{{f.PatientId}}","category":"{{category}}","resourceType":"{{type}}","saltedHash":"{{TestChain.RandomHash()}}"}""";

    private static void GrantAppend(ConsentFixture f, string categories = "[]") => Assert.Equal(TransactionStatus.Committed, f.Submit(f.Patient, "consent.grant",
        $$"""{"patient":"{{f.PatientId}}","grantee":{"kind":"organisation","id":"org:founder-0"},"categories":{{categories}},"actions":["append","read"],"purposes":["TREAT"],"expires":{{f.Chain.Now + 3_600_000}}}""").Status);

    private static RecordEntry Entry(ConsentFixture f, string id) => StateJson.Read<RecordEntry>(f.Chain.Engine.State.Get(RecordKeys.Record(id)))!;

    private static string AccessArgs(string record, string accessor, bool permit, string purpose = "TREAT") =>
        $$"""{"record":"{{record}}","version":1,"accessor":"{{accessor}}","purpose":"{{purpose}}","permit":{{(permit ? "true" : "false")}},"reason":"consent.granted"}""";

    [Fact]
    public void The_custodian_cannot_write_a_permitted_access_that_the_ledger_does_not_permit()
    {
        using var f = new ConsentFixture();
        GrantAppend(f);
        var id = f.Submit(f.Members["member:doctor"], "records.register", Register(f)).Events[0].Attributes["record"];
        var custodian = f.Chain.OrgKeys[0];

        // The hole: a permit "under consent.granted" for someone no grant covers.
        Assert.Equal(RecordErrors.DecisionMismatch, f.Submit(custodian, "records.access", AccessArgs(id, "member:adjuster", permit: true)).Code);
        Assert.Equal(RecordErrors.DecisionMismatch, f.Submit(custodian, "records.access", AccessArgs(id, "member:nobody", permit: true)).Code);
        Assert.Equal(RecordErrors.DecisionMismatch, f.Submit(custodian, "records.access", AccessArgs(id, "member:nurse", permit: true, purpose: "HRESCH")).Code);
        Assert.Equal(RecordErrors.BadRecord, f.Submit(custodian, "records.access", AccessArgs(id, "member:doctor", permit: true).Replace("\"version\":1", "\"version\":2", StringComparison.Ordinal)).Code);

        // What is written is the ledger's decision, whatever reason the custodian sent.
        var denied = f.Submit(custodian, "records.access", AccessArgs(id, "member:adjuster", permit: false));
        Assert.Equal(("deny", ConsentErrors.PurposeNotPermitted), (denied.Events[0].Attributes["decision"], denied.Events[0].Attributes["reason"]));
        var permitted = f.Submit(custodian, "records.access", AccessArgs(id, "member:doctor", permit: true));
        var entry = StateJson.Read<AccessEntry>(f.Chain.Engine.State.Get(RecordKeys.Access(f.PatientId, permitted.TransactionId.ToString())))!;
        Assert.Equal((true, ConsentErrors.Granted), (entry.Permit, entry.Reason));
        Assert.NotNull(entry.Grant);
        var withheld = f.Submit(custodian, "records.access", AccessArgs(id, "member:doctor", permit: false));
        Assert.Equal("custodian.withheld", withheld.Events[0].Attributes["reason"]);
        // Another organisation writes no entries for this custodian's records.
        Assert.Equal(RecordErrors.NotAuthorised, f.Submit(f.Chain.OrgKeys[1], "records.access", AccessArgs(id, "member:doctor", permit: true)).Code);
    }

    [Fact]
    public void Registering_needs_the_patients_consent_to_append()
    {
        using var f = new ConsentFixture();
        var doctor = f.Members["member:doctor"];
        Assert.Equal(ConsentErrors.NotGranted, f.Submit(doctor, "records.register", Register(f)).Code);
        GrantAppend(f, """["laboratory"]""");
        var registered = f.Submit(doctor, "records.register", Register(f));
        Assert.Equal(TransactionStatus.Committed, registered.Status);
        var id = registered.Events[0].Attributes["record"];
        var entry = Entry(f, id);
        Assert.Equal(("org:founder-0", 1, "member:doctor"), (entry.Custodian, entry.Versions.Count, entry.Versions[0].Author));
        Assert.Equal([id], StateJson.Read<List<string>>(f.Chain.Engine.State.Get(RecordKeys.PatientRecords(f.PatientId))));
        // Out of the granted scope.
        Assert.Equal(ConsentErrors.OutOfScope, f.Submit(doctor, "records.register", Register(f, "imaging", "ImagingStudy")).Code);
        // An insurer's staff do not treat, so they add no clinical records, whatever their role says.
        Assert.Equal(ConsentErrors.PurposeNotPermitted, f.Submit(f.Members["member:adjuster"], "records.register", Register(f)).Code);
    }

    [Fact]
    public void Amending_adds_a_version_and_keeps_the_earlier_ones()
    {
        using var f = new ConsentFixture();
        GrantAppend(f);
        var id = f.Submit(f.Members["member:doctor"], "records.register", Register(f)).Events[0].Attributes["record"];
        var first = Entry(f, id).Versions[0].SaltedHash;
        var newHash = TestChain.RandomHash();
        Assert.Equal(TransactionStatus.Committed, f.Submit(f.Members["member:nurse"], "records.amend", $$"""{"record":"{{id}}","saltedHash":"{{newHash}}"}""").Status);
        var entry = Entry(f, id);
        Assert.Equal([first, newHash], entry.Versions.Select(v => v.SaltedHash));
        Assert.Equal(RecordErrors.NotAuthorised, f.Submit(f.Members["member:adjuster"], "records.amend", $$"""{"record":"{{id}}","saltedHash":"{{newHash}}"}""").Code);
    }

    [Fact]
    public void Only_the_patient_erases_and_an_erased_record_takes_no_new_version()
    {
        using var f = new ConsentFixture();
        GrantAppend(f);
        var id = f.Submit(f.Members["member:doctor"], "records.register", Register(f)).Events[0].Attributes["record"];
        Assert.Equal(RecordErrors.NotAuthorised, f.Submit(f.Members["member:doctor"], "records.erase", $$"""{"record":"{{id}}"}""").Code);
        var erased = f.Submit(f.Patient, "records.erase", $$"""{"record":"{{id}}"}""");
        Assert.Equal("records.erased", erased.Events[0].Type);
        Assert.Equal("erased", Entry(f, id).Status);
        Assert.Single(Entry(f, id).Versions);
        Assert.Equal(RecordErrors.Erased, f.Submit(f.Members["member:doctor"], "records.amend", $$"""{"record":"{{id}}","saltedHash":"{{TestChain.RandomHash()}}"}""").Code);
        Assert.True(f.Chain.Auditor().Audit(f.Chain.Store.ReadBlocks(), f.Chain.Store.ReadState()).Passed);
    }

    [Theory]
    [InlineData("Lab", "Observation")]
    [InlineData("laboratory", "observation")]
    [InlineData("laboratory", "Observation; DROP")]
    public void Malformed_categories_and_types_are_refused(string category, string type)
    {
        using var f = new ConsentFixture();
        GrantAppend(f);
        Assert.Equal(RecordErrors.BadRecord, f.Submit(f.Members["member:doctor"], "records.register", Register(f, category, type)).Code);
    }
}
