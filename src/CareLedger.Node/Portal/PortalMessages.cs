namespace CareLedger.Node.Portal;

/// <summary>What a stable code means, in a sentence for the person in front of the portal.</summary>
public static class PortalMessages
{
    private static readonly Dictionary<string, string> Sentences = new(StringComparer.Ordinal)
    {
        ["consent.not_granted"] = "The patient has not given you access to this record.",
        ["consent.action_not_granted"] = "The patient's consent does not let you do this: it was revoked, or it covers other actions only.",
        ["consent.revoked"] = "The patient has revoked the access you had.",
        ["consent.expired"] = "Your access to this record has expired.",
        ["consent.not_yet_valid"] = "Your access to this record has not started yet.",
        ["consent.purpose_not_granted"] = "The patient allowed access for another purpose than the one you chose.",
        ["consent.out_of_scope"] = "This record is outside what the patient shared with you.",
        ["consent.unknown_caller"] = "Your key is not (or no longer) an active identity on the ledger.",
        ["consent.not_authorised"] = "Only the patient, or someone acting for them, can do this.",
        ["consent.unknown_patient"] = "There is no patient with that identifier.",
        ["consent.bad_grant"] = "The grant is incomplete: choose who, what and for how long.",
        ["not_found"] = "There is no such record.",
        ["gs1.bad_check_digit"] = "The code's check digit is wrong: mistyped, or not a genuine GS1 code.",
        ["gs1.bad_date"] = "The code contains an impossible date.",
        ["supply.recalled"] = "This package's lot has been recalled. Do not sell or dispense it.",
        ["supply.unknown_serial"] = "This serial number was never issued for this product: the package may be counterfeit.",
        ["supply.unknown_gtin"] = "This product is not registered.",
        ["supply.expired"] = "This package has expired.",
        ["supply.suspect"] = "This package is quarantined as suspect product.",
        ["supply.already_dispensed"] = "This package was already dispensed to a patient.",
        ["supply.decommissioned"] = "This package has been taken out of circulation.",
        ["supply.not_owner"] = "This package is not in your pharmacy's stock.",
        ["rx.unknown"] = "There is no prescription with that number.",
        ["rx.fully_dispensed"] = "This prescription has already been filled as many times as written.",
        ["rx.not_active"] = "This prescription was cancelled.",
        ["rx.expired"] = "This prescription has expired.",
        ["rx.wrong_product"] = "This package is not the product the prescription is for.",
        ["rx.wrong_quantity"] = "The prescription is for a different number of packages per fill.",
        ["rx.too_early"] = "A controlled substance: it is too early for the next fill.",
        ["rx.not_authorised"] = "Only a pharmacy can dispense.",
        ["cred.not_licensed"] = "Your licence for this is not active (expired, suspended or revoked, or none is on record).",
    };

    /// <summary>The sentence for <paramref name="code"/>, followed by the ledger's detail when it adds something.</summary>
    public static string For(string code, string? detail)
    {
        var plain = detail is null ? null : detail.StartsWith(code + ":", StringComparison.Ordinal) ? detail[(code.Length + 1)..].Trim() : detail;
        if (!Sentences.TryGetValue(code, out var sentence))
        {
            return plain ?? code;
        }
        return plain is null || plain.Contains(code, StringComparison.Ordinal) ? sentence : $"{sentence} ({plain})";
    }
}
