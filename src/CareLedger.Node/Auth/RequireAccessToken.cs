using CareLedger.Node.Api;

namespace CareLedger.Node.Auth;

/// <summary>Endpoint filter: the request must carry a valid access token (see <see cref="AccessTokenValidator"/>).</summary>
internal sealed class RequireAccessToken(AccessTokenValidator validator, ILogger<RequireAccessToken> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var (caller, code, reason) = validator.Validate(http.Request.Headers.Authorization);
        if (caller is null)
        {
            Log.TokenRefused(logger, code!);
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Of(code!, reason!);
        }
        http.User = caller;
        return await next(context);
    }
}
