namespace CareLedger.Node;

/// <summary>Why the node refused a request it acts on for its organisation: the HTTP status, the stable code and a sentence.</summary>
public sealed record Refusal(int Status, string Code, string Message)
{
    public static Refusal From(Submission submission) => submission.Result is null
        ? new Refusal(503, submission.Code!, submission.Message!)
        : new Refusal(submission.Code!.EndsWith(".not_authorised", StringComparison.Ordinal) || submission.Code == "stats.budget_exhausted" ? 403 : 409,
            submission.Code, submission.Message!);
}
