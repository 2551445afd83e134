namespace CareLedger.Node.Portal;

/// <summary>What a stable code means, in a sentence for the person in front of the portal.</summary>
public static class PortalMessages
{
    private static readonly Dictionary<string, string> Sentences = new(StringComparer.Ordinal)
    {
        ["consent.not_granted"] = "The patient has not given you access to this record.",
        ["consent.action_not_granted"] = "The patient's consent covers other actions only.",
        ["consent.revoked"] = "The patient has revoked the access you had.",
        ["consent.expired"] = "Your access to this record has expired.",
        ["consent.not_yet_valid"] = "Your access to this record has not started yet.",
        ["consent.purpose_not_granted"] = "The patient allowed access for another purpose than the one you chose.",
        ["consent.purpose_not_permitted"] = "Your role does not allow this purpose (treatment is for clinical staff, payment for insurers, research for researchers).",
        ["consent.delegation_exists"] = "Someone already acts for this patient in that role; end it before recording another.",
        ["records.decision_mismatch"] = "The patient's consent changed while the record was being read; nothing was released.",
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
        ["commit.timeout"] = "The network did not confirm the change in time; it may still go through.",
        ["tx.malformed"] = "The request could not be made into a transaction: check the values you entered.",
        ["wallet.weak_password"] = "Choose a longer password: the wallet encrypts your key with it.",
        ["wallet.user_exists"] = "That user name is already taken in this node's wallet.",
        ["wallet.bad_user_name"] = "Choose a user name of 3 to 64 characters.",
        ["wallet.wrong_credentials"] = "Unknown user name or wrong password.",
        ["wallet.locked"] = "Too many wrong passwords for this user name: wait a quarter of an hour and try again.",
        ["auth.bad_key_file"] = "This is not a CareLedger key file, or the passphrase is wrong.",
        ["auth.unknown_key"] = "This key is not registered (or no longer active) on the ledger.",
        ["fhir.invalid"] = "The record is not valid FHIR: check the fields you filled in.",
        ["consent.unknown_grant"] = "That grant, request or delegation does not exist (or was already answered).",
        ["trial.bad_consent"] = "The consent could not be accepted: it must be the trial's current consent form, signed with your trial key.",
        ["trial.bad_invitation"] = "This invitation is no longer open.",
        ["trial.closed"] = "This trial has posted its results and takes no more participants.",
        ["trial.small_count"] = "Fewer patients than the privacy threshold: nothing is shown or sent.",
        ["gen.not_listed"] = "This dataset is not open for requests.",
        ["gen.purpose_not_permitted"] = "The owner does not permit this use of the data.",
        ["ins.insufficient_funds"] = "The paying organisation's settlement account does not hold enough money.",
        ["ins.not_pended"] = "This claim line is no longer waiting for a decision.",
        ["ins.not_authorised"] = "Only the insurer's staff decide claims.",
        ["stats.budget_exhausted"] = "Your privacy budget does not cover this query.",
        ["supply.not_authorised"] = "Your organisation cannot do this in the supply chain (only the owner ships, only a manufacturer or regulator recalls).",
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
