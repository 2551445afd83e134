using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CareLedger.Node.Api;

/// <summary>
/// The OpenAPI document says how to authenticate: a bearer security scheme (an ES256 JWT signed by a ledger key, see
/// <c>careledger token</c>), required by every endpoint under an authorisation policy, which also list their 401 and 403 answers.
/// The reference page (/scalar) then offers the token field.
/// </summary>
internal static class OpenApiSecurity
{
    public const string Scheme = "ledgerKey";

    public static void Describe(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "An ES256 JWT signed by a key registered on the ledger: kid = the key id, aud = the chain id, at most 5 minutes " +
                              "(`careledger token` prints one). Submitting transactions needs none: each is signed.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any())
            {
                return Task.CompletedTask;
            }
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, context.Document)] = [] });
            operation.Responses ??= new OpenApiResponses();
            operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No token, or one that is expired, forged, for another chain or for a key the ledger does not list as active (auth.*)." });
            operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The caller's identity on the ledger may not do this (auth.forbidden, auth.not_a_party, or the domain's code)." });
            return Task.CompletedTask;
        });
    }
}
