using CareLedger.Core.Crypto;

namespace CareLedger.Node.Tests;

/// <summary>
/// The node's hospital (org:local) with a licensed prescriber (member:dr-rx), a practitioner without a licence (member:dr-new) and a
/// licensed pharmacist (member:ph-rx); a manufacturer's product with packages S1 and S2 in the hospital's stock; a patient who
/// granted both practitioners read and append for treatment.
/// </summary>
internal sealed class PharmacySetup : IDisposable
{
    public const string Gtin = "09506000134352";

    private PharmacySetup()
    {
    }

    public SigningKey Doctor { get; } = SigningKey.Generate();

    public SigningKey Unlicensed { get; } = SigningKey.Generate();

    public SigningKey Pharmacist { get; } = SigningKey.Generate();

    public SigningKey Patient { get; } = SigningKey.Generate();

    public string PatientId => Contracts.Identity.IdentityKeys.PatientIdFor(Patient.Id);

    public static async Task<PharmacySetup> CreateAsync(InProcessNode node)
    {
        var setup = new PharmacySetup();
        Task Commit(SigningKey key, string type, string args) => CareSetup.CommitAsync(node.Client, key, node.Chain, type, args);
        using var board = await CareSetup.AdmitAsync(node, "org:state-board", "LicensingBoard");
        using var maker = await CareSetup.AdmitAsync(node, "org:acme-pharma", "Manufacturer");
        var now = DateTimeOffset.UtcNow;
        foreach (var (member, role, key, profession) in new[] { ("member:dr-rx", "practitioner", setup.Doctor, "physician"),
                     ("member:dr-new", "practitioner", setup.Unlicensed, (string?)null), ("member:ph-rx", "pharmacist", setup.Pharmacist, "pharmacist") })
        {
            await Commit(node.AdminKey, "identity.enrol_member", $$"""{"member":"{{member}}","roles":["{{role}}"],"publicKey":"{{ResearchNetwork.Spki(key)}}"}""");
            if (profession is not null)
            {
                await Commit(board, "cred.issue", $$"""{"credential":"cred:{{member[7..]}}","subject":"{{member}}","kind":"licence","profession":"{{profession}}","jurisdiction":"US-MA","number":"N-{{member.Length}}","validFrom":{{now.AddYears(-2).ToUnixTimeMilliseconds()}},"validUntil":{{now.AddYears(1).ToUnixTimeMilliseconds()}}}""");
            }
        }
        await Commit(maker, "supply.register_product", $$"""{"gtin":"{{Gtin}}","nationalCode":"NDC 1","name":"Metformin","strength":"500 mg","form":"tablet","packSize":60}""");
        await Commit(maker, "supply.commission", $$"""{"gtin":"{{Gtin}}","lot":"L1","expiry":"{{now.AddYears(2):yyMM}}00","serials":["S1","S2"]}""");
        var shipment = await node.Client.SubmitAsync(new Client.TransactionFactory(maker, node.Chain).Create("supply.ship",
            $$"""{"to":"org:local","units":["{{Gtin}}/S1","{{Gtin}}/S2"],"transactionInformation":"TI","transactionStatement":"TS"}"""), TimeSpan.FromSeconds(10));
        await Commit(node.AdminKey, "supply.receive", $$"""{"shipment":"{{shipment.Id}}","units":["{{Gtin}}/S1","{{Gtin}}/S2"]}""");
        await Commit(setup.Patient, "identity.register_patient", $$"""{"publicKey":"{{ResearchNetwork.Spki(setup.Patient)}}"}""");
        foreach (var member in new[] { "member:dr-rx", "member:dr-new" })
        {
            await Commit(setup.Patient, "consent.grant", $$"""{"patient":"{{setup.PatientId}}","grantee":{"kind":"member","id":"{{member}}"},"actions":["read","append"],"purposes":["TREAT"],"expires":{{now.AddHours(1).ToUnixTimeMilliseconds()}}}""");
        }
        return setup;
    }

    public void Dispose()
    {
        Doctor.Dispose();
        Unlicensed.Dispose();
        Pharmacist.Dispose();
        Patient.Dispose();
    }
}
