using CareLedger.Contracts;
using CareLedger.Contracts.Identity;
using CareLedger.Contracts.Prescriptions;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;

namespace CareLedger.Ledger.Tests.SupplyChain;

public sealed class PrescriptionContractTests : IDisposable
{
    private readonly SupplyFixture _f = new();
    private readonly SigningKey _doctor = SigningKey.Generate();
    private readonly SigningKey _patient = SigningKey.Generate();
    private readonly string _patientId;

    public PrescriptionContractTests()
    {
        _patientId = IdentityKeys.PatientIdFor(_patient.Id);
        SupplyFixture.Ok(_f.Run(_f.Chain.OrgKeys[0], "identity.enrol_member",
            $$"""{"member":"member:dr-lee","roles":["practitioner"],"publicKey":"{{Convert.ToBase64String(_doctor.PublicKey.SubjectPublicKeyInfo)}}"}"""));
        _f.License("member:dr-lee", "physician");
        SupplyFixture.Ok(_f.Run(_patient, "identity.register_patient", $$"""{"publicKey":"{{Convert.ToBase64String(_patient.PublicKey.SubjectPublicKeyInfo)}}"}"""));
        _f.Commission("L1", "S1", "S2", "S3", "S4", "S5");
        _f.Stock("S1", "S2", "S3", "S4", "S5");
    }

    public void Dispose()
    {
        _f.Dispose();
        _doctor.Dispose();
        _patient.Dispose();
    }

    private void Grant() => SupplyFixture.Ok(_f.Run(_patient, "consent.grant",
        $$"""{"patient":"{{_patientId}}","grantee":{"kind":"member","id":"member:dr-lee"},"actions":["append","read"],"purposes":["TREAT"],"expires":{{_f.Chain.Now + 90L * 86_400_000}}}"""));

    private TransactionResult Prescribe(string id, int perFill = 2, int refills = 0, bool controlled = false, int intervalDays = 0, long? expires = null) =>
        _f.Run(_doctor, "rx.prescribe",
            $$"""{"prescription":"{{id}}","patient":"{{_patientId}}","gtin":"{{SupplyFixture.Gtin}}","packagesPerFill":{{perFill}},"refills":{{refills}},"controlled":{{(controlled ? "true" : "false")}},"minRefillIntervalDays":{{intervalDays}},"expires":{{expires ?? _f.Chain.Now + 30L * 86_400_000}}}""");

    private TransactionResult Fill(string id, params string[] units) =>
        _f.Run(_f.Pharmacy, "rx.dispense", $$"""{"prescription":"{{id}}","pharmacist":"{{SupplyFixture.PharmacistId}}","units":[{{string.Join(",", units.Select(u => $"\"{u}\""))}}]}""");

    private static string U(string serial) => $"{SupplyFixture.Gtin}/{serial}";

    private PrescriptionRecord Rx(string id) => StateJson.Read<PrescriptionRecord>(_f.Chain.Engine.State.Get(PrescriptionContract.Key(id)))!;

    private string Snapshot() => string.Concat(_f.Chain.Store.ScanState("rx/", 1000).Concat(_f.Chain.Store.ScanState("supply/unit/", 1000))
        .Select(r => r.Key + Convert.ToHexString(r.Value)));

    [Fact]
    public void A_practitioner_prescribes_only_with_the_patients_treatment_consent()
    {
        Assert.False(Prescribe("rx:1").Status == TransactionStatus.Committed);
        Assert.Null(_f.Chain.Engine.State.Get(PrescriptionContract.Key("rx:1")));
        Grant();
        SupplyFixture.Ok(Prescribe("rx:1"));
        Assert.Equal(PrescriptionErrors.Exists, Prescribe("rx:1").Code);
        Assert.Equal(["rx:1"], PrescriptionContract.ForPatient(_f.Chain.Engine.State, _patientId).Select(p => p.Id));
        Assert.Equal(PrescriptionErrors.NotAuthorised, _f.Run(_f.Pharmacy, "rx.prescribe",
            $$"""{"prescription":"rx:2","patient":"{{_patientId}}","gtin":"{{SupplyFixture.Gtin}}","packagesPerFill":1,"refills":0,"expires":{{_f.Chain.Now + 1000000}}}""").Code);
        Assert.Equal(PrescriptionErrors.BadPrescription, Prescribe("rx:3", perFill: 0).Code);
    }

    [Fact]
    public void A_prescription_is_filled_only_as_written_and_only_once()
    {
        Grant();
        SupplyFixture.Ok(Prescribe("rx:1", perFill: 2));
        SupplyFixture.Ok(_f.Run(_f.Regulator, "supply.quarantine", $$"""{"gtin":"{{SupplyFixture.Gtin}}","serial":"S5","reason":"suspect"}"""));
        var before = Snapshot();
        Assert.Equal(PrescriptionErrors.WrongQuantity, Fill("rx:1", U("S1")).Code);
        Assert.Equal(PrescriptionErrors.WrongProduct, Fill("rx:1", U("S1"), $"{SupplyFixture.OtherGtin}/S2").Code);
        Assert.Equal("supply.suspect", Fill("rx:1", U("S1"), U("S5")).Code);
        Assert.Equal("supply.unknown_serial", Fill("rx:1", U("S1"), U("S9")).Code);
        Assert.Equal(PrescriptionErrors.Unknown, Fill("rx:9", U("S1"), U("S2")).Code);
        Assert.Equal(before, Snapshot());

        SupplyFixture.Ok(Fill("rx:1", U("S1"), U("S2")));
        Assert.Equal(("completed", "rx:1"), (Rx("rx:1").Status, _f.Unit("S1").DispensedFor));
        var filled = Snapshot();
        Assert.Equal(PrescriptionErrors.FullyDispensed, Fill("rx:1", U("S3"), U("S4")).Code);
        Assert.Equal(filled, Snapshot());
    }

    [Fact]
    public void A_controlled_substance_is_not_refilled_early_and_an_expired_or_cancelled_prescription_is_not_filled()
    {
        Grant();
        Assert.Equal("cred.not_licensed", Prescribe("rx:c", perFill: 1, refills: 2, controlled: true, intervalDays: 28).Code);
        _f.License("member:dr-lee", "physician", "controlled_substance_registration");
        SupplyFixture.Ok(Prescribe("rx:c", perFill: 1, refills: 2, controlled: true, intervalDays: 28));
        SupplyFixture.Ok(Fill("rx:c", U("S1")));
        Assert.Equal(PrescriptionErrors.TooEarly, Fill("rx:c", U("S2")).Code);
        _f.Chain.Advance(TimeSpan.FromDays(28));
        SupplyFixture.Ok(Fill("rx:c", U("S2")));

        SupplyFixture.Ok(Prescribe("rx:short", perFill: 1, expires: _f.Chain.Now + 60_000));
        _f.Chain.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(PrescriptionErrors.Expired, Fill("rx:short", U("S3")).Code);

        SupplyFixture.Ok(Prescribe("rx:x", perFill: 1));
        Assert.Equal(PrescriptionErrors.NotAuthorised, _f.Run(_f.Pharmacy, "rx.cancel", """{"prescription":"rx:x"}""").Code);
        SupplyFixture.Ok(_f.Run(_patient, "rx.cancel", """{"prescription":"rx:x","reason":"changed my mind"}"""));
        Assert.Equal(PrescriptionErrors.NotActive, Fill("rx:x", U("S3")).Code);
        Assert.Equal("owned", _f.Unit("S3").Status);
    }
}
