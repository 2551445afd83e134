namespace CareLedger.Node.Research;

/// <summary>Why the node refused a research request: the HTTP status, the stable code and a sentence.</summary>
public sealed record Refusal(int Status, string Code, string Message)
{
    public static Refusal From(Submission submission) => submission.Result is null
        ? new Refusal(503, submission.Code!, submission.Message!)
        : new Refusal(submission.Code!.EndsWith(".not_authorised", StringComparison.Ordinal) ? 403 : 409, submission.Code, submission.Message!);
}
