using System.Text.Encodings.Web;
using CareLedger.Node.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CareLedger.Node.Auth;

/// <summary>
/// ASP.NET Core authentication for ledger-key JWTs (<see cref="AccessTokenValidator"/>). A refused token is a security event
/// (<see cref="SecurityEvents"/>) and a 401 problem with its stable code; a refused policy is a 403 problem <c>auth.forbidden</c>.
/// </summary>
internal sealed class LedgerKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    AccessTokenValidator validator, SecurityEvents events) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private TokenRefusal? _refusal;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var (principal, refusal) = validator.Validate(Request.Headers.Authorization);
        if (principal is null)
        {
            _refusal = refusal;
            return Task.FromResult(AuthenticateResult.Fail(refusal!.Code));
        }
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, CallerClaims.Scheme)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var refusal = _refusal ?? TokenRefusal.Missing;
        events.Refused(Context, refusal.Code, refusal.Kid?.ToString());
        Response.Headers.WWWAuthenticate = "Bearer";
        await Problems.Of(refusal.Code, refusal.Reason, StatusCodes.Status401Unauthorized).ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        events.Refused(Context, "auth.forbidden", Context.User.FindFirst(CallerClaims.KeyIdClaim)?.Value);
        await Problems.Of("auth.forbidden", "Your role on the ledger does not allow this.", StatusCodes.Status403Forbidden).ExecuteAsync(Context);
    }
}
