namespace CareLedger.Contracts.Insurance;

/// <summary>State keys of the insurance contract.</summary>
public static class InsuranceKeys
{
    public static string Plan(string id) => $"ins/plan/{id}";

    public static string Policy(string id) => $"ins/policy/{id}";

    /// <summary>The ids of a patient's policies.</summary>
    public static string PoliciesOf(string patient) => $"ins/policies/{patient}";

    public static string Claim(string id) => $"ins/claim/{id}";

    /// <summary>The ids of the claims made under a policy.</summary>
    public static string ClaimsOf(string policy) => $"ins/claims/{policy}";

    /// <summary>A policy's accumulators for one calendar (plan) year.</summary>
    public static string Accumulators(string policy, int year) => $"ins/acc/{policy}/{year}";

    /// <summary>Marks a claim line that was paid or pended, by its fingerprint, so the same service is never paid twice.</summary>
    public static string LineSeen(string fingerprint) => $"ins/seen/{fingerprint}";

    public static string PriorAuthorisation(string id) => $"ins/pa/{id}";

    public static string PriorAuthorisationsOf(string policy) => $"ins/pa-of/{policy}";

    public static string Account(string owner, string currency) => $"ins/account/{owner}/{currency}";

    public const string JournalNext = "ins/journal/next";

    public static string JournalEntry(long sequence) => $"ins/journal/{sequence:D12}";

    /// <summary>An account's movements: one key per journal entry that debits or credits it, valued with the entry's sequence.</summary>
    public static string AccountMovements(string owner, string currency) => $"ins/movements/{owner}/{currency}/";

    public static string AccountMovement(string owner, string currency, long sequence) => $"{AccountMovements(owner, currency)}{sequence:D12}";
}
