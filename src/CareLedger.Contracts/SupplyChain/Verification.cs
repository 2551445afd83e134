using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.SupplyChain;

/// <summary>The answer to "is this package genuine and saleable?", with the unit when it is known.</summary>
public sealed record VerificationResult(string Verdict, string Message, UnitRecord? Unit)
{
    public bool Verified => Verdict == Verification.Verified;
}

/// <summary>
/// Package verification in the manner of the US Verification Router Service: given a product identifier
/// (GTIN and serial, optionally lot and expiry as scanned), one of <see cref="Verified"/>, unknown_gtin,
/// unknown_serial, lot_mismatch, expiry_mismatch, recalled, decommissioned, suspect, already_dispensed,
/// expired. Two state reads; no scan of anything.
/// </summary>
public static class Verification
{
    public const string Verified = "verified";

    public static VerificationResult Verify(IStateReader state, Gs1Code code, DateOnly today) => Verify(state, code, today, null);

    /// <summary>Verifies the unit <paramref name="gtin"/>/<paramref name="serial"/> (no lot or expiry scanned); <paramref name="asIf"/> as in the overload above.</summary>
    public static VerificationResult Verify(IStateReader state, string gtin, string serial, DateOnly today, UnitRecord? asIf = null) =>
        Verify(state, new Gs1Code([KeyValuePair.Create("01", gtin), KeyValuePair.Create("21", serial)]), today, asIf);

    /// <summary>Parses scanned or typed GS1 data and verifies it as of <paramref name="now"/>; <see cref="Gs1Exception"/> for bad data.</summary>
    public static (Gs1Code Code, VerificationResult Result) VerifyScan(IStateReader state, string data, DateTimeOffset now)
    {
        var code = Gs1.Parse(data, now.Year);
        return (code, Verify(state, code, DateOnly.FromDateTime(now.UtcDateTime)));
    }

    /// <summary>As <see cref="Verify(IStateReader, Gs1Code, DateOnly)"/>, judging <paramref name="asIf"/> instead of the stored unit (e.g. a return in transit).</summary>
    public static VerificationResult Verify(IStateReader state, Gs1Code code, DateOnly today, UnitRecord? asIf)
    {
        if (code.Gtin is not { } gtin || StateJson.Read<ProductRecord>(state.Get(SupplyKeys.Product(gtin))) is null)
        {
            return new("unknown_gtin", $"No product is registered under GTIN {code.Gtin ?? "(none scanned)"}.", null);
        }
        if (code.Serial is not { } serial || (asIf ?? StateJson.Read<UnitRecord>(state.Get(SupplyKeys.Unit(gtin, serial)))) is not { } unit)
        {
            return new("unknown_serial", $"Serial {code.Serial ?? "(none scanned)"} was never commissioned for GTIN {gtin}: possibly counterfeit.", null);
        }
        if (code.Lot is { } lot && lot != unit.Lot)
        {
            return new("lot_mismatch", $"The package says lot {lot}; this serial was commissioned in lot {unit.Lot}.", unit);
        }
        if (code.Expiry is { } expiry && expiry.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) != unit.Expiry)
        {
            return new("expiry_mismatch", $"The package says expiry {expiry:yyyy-MM-dd}; this serial was commissioned with {unit.Expiry}.", unit);
        }
        var lotRecord = StateJson.Read<LotRecord>(state.Get(SupplyKeys.Lot(gtin, unit.Lot)));
        if (lotRecord?.Status == "recalled")
        {
            return new("recalled", $"Lot {unit.Lot} has been recalled: {lotRecord.RecallReason}. Do not sell or dispense.", unit);
        }
        switch (unit.Status)
        {
            case "decommissioned" or "destroyed":
                return new("decommissioned", $"This package was {unit.Status}; it must not be in circulation.", unit);
            case "quarantined":
                return new("suspect", "This package is quarantined as suspect product under investigation.", unit);
            case "dispensed":
                return new("already_dispensed", "This package has already been dispensed to a patient.", unit);
        }
        if (DateOnly.ParseExact(unit.Expiry, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) < today)
        {
            return new("expired", $"This package expired on {unit.Expiry}.", unit);
        }
        return new(Verified, "Genuine and saleable.", unit);
    }
}
