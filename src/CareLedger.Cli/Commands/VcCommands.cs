using System.CommandLine;
using CareLedger.Contracts.Credentials;
using CareLedger.Core.Jose;

namespace CareLedger.Cli.Commands;

/// <summary>
/// <c>vc verify</c>: checks a W3C VC-JOSE credential or SMART Health Card offline against a JWK Set.
/// <c>vc export</c>: an issuer signs one of its ledger credentials as a VC-JOSE compact JWS.
/// </summary>
internal static class VcCommands
{
    public static Command Create(CliOutput output)
    {
        var vc = new Command("vc", "W3C Verifiable Credentials (VC-JOSE) and SMART Health Cards.");
        vc.Subcommands.Add(Verify(output));
        vc.Subcommands.Add(Export(output));
        vc.Subcommands.Add(StatusList(output));
        return vc;
    }

    private static Command Verify(CliOutput output)
    {
        var token = new Argument<string>("TOKEN") { Description = "The compact JWS (or @FILE to read it from a file; a shc:/ QR number string is not accepted)." };
        var jwks = new Option<string>("--jwks") { Description = "JWK Set file of trusted issuer keys.", Required = true };
        var at = new Option<DateTimeOffset?>("--at") { Description = "Check validity at this time instead of now (ISO 8601)." };
        var statusList = new Option<string[]>("--status-list") { Description = "A file holding the issuer's signed status list credential (vc status-list); repeatable.", AllowMultipleArgumentsPerToken = false };
        var verify = new Command("verify", "Print the decoded credential as JSON; exit 0 when the signature, validity period and (given the issuer's status lists) status check out, 1 otherwise (with the reason), 2 for malformed input.")
            { token, jwks, at, statusList };
        verify.SetAction(p =>
        {
            var text = p.GetValue(token)!;
            text = text.StartsWith('@') ? File.ReadAllText(text[1..]) : text;
            IReadOnlyList<JsonWebKey> keys;
            try
            {
                keys = JsonWebKey.ParseSet(File.ReadAllText(p.GetValue(jwks)!));
            }
            catch (JoseException ex)
            {
                return output.Fail(ExitCodes.Malformed, $"{ex.Code}: {ex.Message}");
            }
            var lists = (p.GetValue(statusList) ?? []).Select(f => File.ReadAllText(f).Trim()).ToList();
            var result = CredentialVerifier.Verify(text, keys, p.GetValue(at) ?? DateTimeOffset.UtcNow, lists);
            if (result.Credential is not null)
            {
                output.Line(result.Credential.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            }
            return result.Valid ? ExitCodes.Ok
                : output.Fail(result.Malformed ? ExitCodes.Malformed : ExitCodes.Invalid, $"{result.Code}: {result.Message}");
        });
        return verify;
    }

    private static Command Export(CliOutput output)
    {
        var connection = new NodeConnection();
        var id = new Argument<string>("CREDENTIAL") { Description = "The credential id (cred:…)." };
        var export = new Command("export", "Sign an active credential your organisation issued as a W3C VC 2.0 (VC-JOSE compact JWS, ES256) and print it.") { id };
        connection.AddTo(export);
        export.SetAction((p, ct) => connection.RunAsync(p, output, async (client, factory) =>
        {
            var credential = await client.GetJsonAsync<CredentialRecord>($"api/v1/credentials/{Uri.EscapeDataString(p.GetValue(id)!)}", ct);
            if (credential.Status != "active")
            {
                return output.Fail(ExitCodes.Invalid, $"{CredentialErrors.BadTransition}: credential {credential.Id} is {credential.Status}; only an active credential is exported.");
            }
            var jwks = await client.GetJsonAsync<System.Text.Json.Nodes.JsonObject>($"api/v1/keys/{factory.Key.Id}/jwks", ct);
            if (jwks["keys"]?[0]?["organisation"]?.ToString() != credential.Issuer)
            {
                return output.Fail(ExitCodes.Invalid, $"{CredentialErrors.NotAuthorised}: the key {factory.Key.Id} is not a key of {credential.Issuer}, the issuer.");
            }
            var status = await client.GetJsonAsync<System.Text.Json.Nodes.JsonObject>($"api/v1/credentials/{Uri.EscapeDataString(credential.Id)}/status", ct);
            var index = status["index"]?.GetValueKind() == System.Text.Json.JsonValueKind.Number ? status["index"]!.GetValue<int>() : (int?)null;
            output.Line(CredentialVc.Sign(factory.Chain, credential, factory.Key, index));
            return ExitCodes.Ok;
        }, ct));
        return export;
    }

    private static Command StatusList(CliOutput output)
    {
        var connection = new NodeConnection();
        var issuer = new Argument<string>("ISSUER") { Description = "The issuing organisation (org:…), whose key is --key." };
        var purpose = new Option<string>("--purpose") { Description = "revocation or suspension.", DefaultValueFactory = _ => "revocation" };
        var command = new Command("status-list", "Sign the issuer's current W3C Bitstring Status List credential (from the ledger) and print it, for the issuer to publish.")
            { issuer, purpose };
        connection.AddTo(command);
        command.SetAction((p, ct) => connection.RunAsync(p, output, async (client, factory) =>
        {
            var org = p.GetValue(issuer)!;
            var jwks = await client.GetJsonAsync<System.Text.Json.Nodes.JsonObject>($"api/v1/keys/{factory.Key.Id}/jwks", ct);
            if (jwks["keys"]?[0]?["organisation"]?.ToString() != org)
            {
                return output.Fail(ExitCodes.Invalid, $"{CredentialErrors.NotAuthorised}: the key {factory.Key.Id} is not a key of {org}.");
            }
            var document = await client.GetJsonAsync<System.Text.Json.Nodes.JsonObject>(
                $"api/v1/credentials/status-lists/{Uri.EscapeDataString(org)}?purpose={Uri.EscapeDataString(p.GetValue(purpose)!)}", ct);
            output.Line(CredentialIssuer.Sign(document, factory.Key));
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
