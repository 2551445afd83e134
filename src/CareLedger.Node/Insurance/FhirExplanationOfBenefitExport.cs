using System.Globalization;
using CareLedger.Contracts.Insurance;
using Hl7.Fhir.Model;

namespace CareLedger.Node.Insurance;

/// <summary>
/// A ledger claim as a FHIR R4 <c>ExplanationOfBenefit</c> for the patient: one item per line with the submitted,
/// eligible (allowed) and benefit (payer) amounts and the patient's share, denied lines with their CARC reason, totals
/// and the payment. Parties are referenced by ledger identifier only; amounts are the plan's minor units / 100.
/// </summary>
public static class FhirExplanationOfBenefitExport
{
    private const string Ledger = "urn:careledger:";
    private const string AdjudicationSystem = "http://terminology.hl7.org/CodeSystem/adjudication";
    private const string CarcSystem = "https://x12.org/codes/claim-adjustment-reason-codes";

    public static ExplanationOfBenefit ToFhir(ClaimRecord claim, string currency)
    {
        var pharmacy = claim.Prescription is not null;
        Money Amount(long minor) => new() { Value = minor / 100m, Currency = Enum.Parse<Money.Currencies>(currency) };
        ExplanationOfBenefit.AdjudicationComponent Adjudication(string code, long minor) => new() { Category = new CodeableConcept(AdjudicationSystem, code), Amount = Amount(minor) };
        var pended = claim.Lines.Any(l => l.Status == "pended");
        return new ExplanationOfBenefit
        {
            Id = claim.Id.Replace(':', '-'),
            Identifier = [new Identifier(Ledger + "claim", claim.Id)],
            Status = ExplanationOfBenefit.ExplanationOfBenefitStatus.Active,
            Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/claim-type", pharmacy ? "pharmacy" : "professional"),
            Use = ClaimUseCode.Claim,
            Patient = Reference("patient", claim.Patient),
            Created = Iso(claim.Submitted),
            Insurer = Reference("organisation", claim.Insurer),
            Provider = Reference("organisation", claim.Provider),
            Outcome = pended ? ClaimProcessingCodes.Partial : ClaimProcessingCodes.Complete,
            Insurance = [new ExplanationOfBenefit.InsuranceComponent { Focal = true, Coverage = Reference("policy", claim.Policy) }],
            Item = claim.Lines.Select(line =>
            {
                var item = new ExplanationOfBenefit.ItemComponent
                {
                    Sequence = line.Number,
                    ProductOrService = new CodeableConcept(pharmacy ? "https://www.gs1.org/gtin" : "http://www.ama-assn.org/go/cpt", line.Code),
                    Serviced = new Date(DateTimeOffset.FromUnixTimeMilliseconds(line.ServiceDate).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                    Quantity = new Quantity { Value = line.Quantity },
                    Net = Amount(line.Billed),
                    Adjudication = [Adjudication("submitted", line.Billed), Adjudication("eligible", line.Allowed), Adjudication("benefit", line.PayerAmount),
                        Adjudication("copay", line.PatientAmount)],
                };
                if (line.Reason is { } reason)
                {
                    item.Adjudication.Add(new ExplanationOfBenefit.AdjudicationComponent
                    {
                        Category = new CodeableConcept(AdjudicationSystem, line.Status == "pended" ? "submitted" : "eligible"),
                        Reason = new CodeableConcept(CarcSystem, reason, string.Join("; ", line.Explanation.TakeLast(1))),
                    });
                }
                return item;
            }).ToList(),
            Total =
            [
                new ExplanationOfBenefit.TotalComponent { Category = new CodeableConcept(AdjudicationSystem, "submitted"), Amount = Amount(claim.Lines.Sum(l => l.Billed)) },
                new ExplanationOfBenefit.TotalComponent { Category = new CodeableConcept(AdjudicationSystem, "benefit"), Amount = Amount(claim.Lines.Sum(l => l.PayerAmount)) },
            ],
            Payment = new ExplanationOfBenefit.PaymentComponent { Amount = Amount(claim.Lines.Sum(l => l.PayerAmount)) },
        };
    }

    private static ResourceReference Reference(string kind, string id) => new() { Identifier = new Identifier(Ledger + kind, id) };

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
