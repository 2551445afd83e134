using CareLedger.Contracts;
using CareLedger.Contracts.SupplyChain;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Testing;

namespace CareLedger.Ledger.Tests.SupplyChain;

/// <summary>
/// A chain with a manufacturer, a wholesaler, a pharmacy (with a licensed pharmacist), a regulator and a licensing
/// board, and one registered product.
/// </summary>
public sealed class SupplyFixture : IDisposable
{
    public const string Gtin = "09506000134352";
    public const string OtherGtin = "09506000134369";
    public const string PharmacistId = "member:pharmacist-kim";

    public SupplyFixture()
    {
        Chain = TestChain.InMemory();
        Manufacturer = Admit("org:acme-pharma", "Manufacturer");
        Wholesaler = Admit("org:north-wholesale", "Distributor");
        Pharmacy = Admit("org:city-pharmacy", "Pharmacy");
        Regulator = Admit("org:medicines-agency", "Regulator");
        Board = Admit("org:state-board", "LicensingBoard");
        Ok(Run(Pharmacy, "identity.enrol_member",
            $$"""{"member":"{{PharmacistId}}","roles":["pharmacist"],"publicKey":"{{Convert.ToBase64String(PharmacistKey.PublicKey.SubjectPublicKeyInfo)}}"}"""));
        License(PharmacistId, "pharmacist");
        Ok(Run(Manufacturer, "supply.register_product",
            $$"""{"gtin":"{{Gtin}}","nationalCode":"NDC 12345-678-90","name":"Metformin","strength":"500 mg","form":"tablet","packSize":60}"""));
    }

    public TestChain Chain { get; }

    public SigningKey Manufacturer { get; }

    public SigningKey Wholesaler { get; }

    public SigningKey Pharmacy { get; }

    public SigningKey Regulator { get; }

    /// <summary>The licensing board (org:state-board).</summary>
    public SigningKey Board { get; }

    public SigningKey PharmacistKey { get; } = SigningKey.Generate();

    /// <summary>The board licenses <paramref name="member"/> for <paramref name="profession"/> in US-MA, valid from five years ago until a year from now; returns the credential id.</summary>
    public string License(string member, string profession, string kind = "licence")
    {
        var id = $"cred:{kind[..3]}-{member[(member.IndexOf(':') + 1)..]}-{profession}".Replace('_', '-');
        Ok(Run(kind == "controlled_substance_registration" ? Regulator : Board, "cred.issue",
            $$"""{"credential":"{{id}}","subject":"{{member}}","kind":"{{kind}}","profession":"{{profession}}","jurisdiction":"US-MA","number":"{{id.Length}}-{{member.Length}}","validFrom":{{Chain.Now - (5L * 365 * 86_400_000)}},"validUntil":{{Chain.Now + 365L * 86_400_000}}}"""));
        return id;
    }

    private SigningKey Admit(string id, string kind)
    {
        var key = SigningKey.Generate();
        Ok(Run(Chain.OrgKeys[0], "identity.propose_organisation",
            $$"""{"organisation":"{{id}}","kind":"{{kind}}","governing":false,"publicKeys":["{{Convert.ToBase64String(key.PublicKey.SubjectPublicKeyInfo)}}"]}"""));
        return key;
    }

    /// <summary>Signs, commits in its own block and returns the result.</summary>
    public TransactionResult Run(SigningKey key, string type, string args) => Assert.Single(Chain.Commit(Chain.Sign(key, type, args)).Results);

    public static void Ok(TransactionResult result) => Assert.True(result.Status == TransactionStatus.Committed, $"{result.Code}: {result.Message}");

    public UnitRecord Unit(string serial, string gtin = Gtin) => StateJson.Read<UnitRecord>(Chain.Engine.State.Get(SupplyKeys.Unit(gtin, serial)))!;

    public LotRecord Lot(string lot, string gtin = Gtin) => StateJson.Read<LotRecord>(Chain.Engine.State.Get(SupplyKeys.Lot(gtin, lot)))!;

    /// <summary>Commissions serials S1..Sn (or the given ones) in <paramref name="lot"/>, expiring at the end of December 2030.</summary>
    public void Commission(string lot, params string[] serials) =>
        Ok(Run(Manufacturer, "supply.commission", $$"""{"gtin":"{{Gtin}}","lot":"{{lot}}","expiry":"301200","serials":[{{string.Join(",", serials.Select(s => $"\"{s}\""))}}]}"""));

    /// <summary>Ships units from <paramref name="from"/> to <paramref name="to"/>; returns the shipment id (or the failed result's code).</summary>
    public TransactionResult Ship(SigningKey from, string to, params string[] serials) =>
        Run(from, "supply.ship", $$"""{"to":"{{to}}","units":[{{string.Join(",", serials.Select(s => $"\"{Gtin}/{s}\""))}}],"transactionInformation":"TI-2026-001","transactionStatement":"TS-2026-001"}""");

    public TransactionResult Receive(SigningKey by, string shipment, params string[] serials) =>
        Run(by, "supply.receive", $$"""{"shipment":"{{shipment}}","units":[{{string.Join(",", serials.Select(s => $"\"{Gtin}/{s}\""))}}]}""");

    public TransactionResult Dispense(SigningKey by, string serial) =>
        Run(by, "supply.dispense", $$"""{"gtin":"{{Gtin}}","serial":"{{serial}}"}""");

    /// <summary>Moves units from the manufacturer to the pharmacy (via the wholesaler).</summary>
    public void Stock(params string[] serials)
    {
        var toWholesaler = Ship(Manufacturer, "org:north-wholesale", serials);
        Ok(toWholesaler);
        Ok(Receive(Wholesaler, toWholesaler.TransactionId.ToString(), serials));
        var toPharmacy = Ship(Wholesaler, "org:city-pharmacy", serials);
        Ok(toPharmacy);
        Ok(Receive(Pharmacy, toPharmacy.TransactionId.ToString(), serials));
    }

    public void Dispose()
    {
        Chain.Dispose();
        Manufacturer.Dispose();
        Wholesaler.Dispose();
        Pharmacy.Dispose();
        Regulator.Dispose();
        Board.Dispose();
        PharmacistKey.Dispose();
    }
}
