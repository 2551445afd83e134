using CareLedger.Ledger;

namespace CareLedger.Node.Api;

/// <summary>RFC 9457 problem details carrying CareLedger's stable codes.</summary>
internal static class Problems
{
    /// <summary>The HTTP status for a stable code.</summary>
    public static int StatusFor(string code) => code switch
    {
        LedgerErrorCodes.TooLarge => StatusCodes.Status413PayloadTooLarge,
        LedgerErrorCodes.UnknownSigner or LedgerErrorCodes.InactiveSigner => StatusCodes.Status403Forbidden,
        LedgerErrorCodes.Replay => StatusCodes.Status409Conflict,
        LedgerErrorCodes.MempoolFull => StatusCodes.Status503ServiceUnavailable,
        _ when code.StartsWith("consensus.", StringComparison.Ordinal) => StatusCodes.Status503ServiceUnavailable,
        "not_found" => StatusCodes.Status404NotFound,
        "commit.timeout" => StatusCodes.Status504GatewayTimeout,
        _ when code.StartsWith("auth.", StringComparison.Ordinal) => StatusCodes.Status401Unauthorized,
        _ => StatusCodes.Status400BadRequest,
    };

    public static IResult Of(string code, string detail, int? status = null) => Results.Problem(
        detail: detail,
        statusCode: status ?? StatusFor(code),
        title: TitleFor(code),
        type: $"https://careledger.example/problems/{code}",
        extensions: new Dictionary<string, object?> { ["code"] = code });

    public static IResult Of(LedgerRejection rejection) => Of(rejection.Code, rejection.Message);

    public static IResult Of(Refusal refusal) => Of(refusal.Code, refusal.Message, refusal.Status);

    public static IResult NotFound(string what) => Of("not_found", $"{what} was not found.");

    private static string TitleFor(string code) => code switch
    {
        "not_found" => "Not found",
        _ when code.StartsWith("auth.", StringComparison.Ordinal) => "Authentication required",
        _ when code.StartsWith("tx.", StringComparison.Ordinal) => "Transaction refused",
        _ when code.StartsWith("consensus.", StringComparison.Ordinal) => "Network unavailable",
        _ => "Request refused",
    };
}
