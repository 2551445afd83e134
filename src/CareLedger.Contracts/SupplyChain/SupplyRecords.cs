namespace CareLedger.Contracts.SupplyChain;

/// <summary>
/// A registered medicinal product: GTIN, national code (e.g. NDC), name, strength, form, pack size, manufacturer, and its WHO ATC
/// code when given (statistics group dispensing by its therapeutic class, the first four characters).
/// </summary>
public sealed record ProductRecord(string Gtin, string NationalCode, string Name, string Strength, string Form, int PackSize,
    string Manufacturer, bool Controlled, string? Atc = null);

/// <summary>
/// One serialized package. <see cref="Status"/>: commissioned (with its manufacturer), owned, in_transit,
/// dispensed, quarantined, decommissioned, destroyed. Recall is a property of the lot. <see cref="History"/>
/// is the unit's trace.
/// </summary>
public sealed record UnitRecord(string Gtin, string Serial, string Lot, string Expiry, string Owner, string Status,
    string? Shipment, string? Container, string? DispensedFor, IReadOnlyList<UnitEvent> History);

/// <summary>A step in a unit's life: what happened, by whom, in which transaction and block.</summary>
public sealed record UnitEvent(string Step, string Organisation, string Transaction, long Height, long Time, string? Detail = null);

/// <summary>A lot: expiry, recall status, how many units each organisation holds (for recall notices), unit count.</summary>
public sealed record LotRecord(string Gtin, string Lot, string Expiry, string Status, string? RecallReason,
    IReadOnlyDictionary<string, int> Holders, int Units);

/// <summary>A shipment from its owner to a receiver, with DSCSA transaction information and statement references.</summary>
public sealed record ShipmentRecord(string Id, string From, string To, IReadOnlyList<string> Units, string TransactionInformation,
    string TransactionStatement, string Status, IReadOnlyList<string> Missing);

/// <summary>A case or pallet (SSCC) and the units packed in it.</summary>
public sealed record ContainerRecord(string Sscc, string Owner, IReadOnlyList<string> Units);
