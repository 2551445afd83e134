using System.CommandLine;
using System.Text.Json.Nodes;
using CareLedger.Contracts.Identity;
using CareLedger.Core.Crypto;

namespace CareLedger.Cli.Commands;

/// <summary><c>keys new</c>: create an ES256 key file; <c>keys rotate</c>: replace a registered key with a new one, signed by the old.</summary>
internal static class KeyCommands
{
    public static Command Create(CliOutput output)
    {
        var outFile = new Option<string>("--out") { Required = true, Description = "Where to write the PEM private key (mode 600)." };
        var passphraseEnv = new Option<string?>("--passphrase-env") { Description = "Encrypt the key with the passphrase in this environment variable." };
        var cmd = new Command("new", "Create a P-256 key; prints its key id and public key.") { outFile, passphraseEnv };
        cmd.SetAction(parse =>
        {
            var path = parse.GetValue(outFile)!;
            if (File.Exists(path))
            {
                return output.Fail(ExitCodes.Invalid, $"{path} exists; refusing to overwrite a key.");
            }
            var env = parse.GetValue(passphraseEnv);
            var passphrase = env is null ? null : Environment.GetEnvironmentVariable(env);
            if (env is not null && string.IsNullOrEmpty(passphrase))
            {
                return output.Fail(ExitCodes.Malformed, $"Environment variable {env} is empty.");
            }
            using var key = SigningKey.Generate();
            var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
            Directory.CreateDirectory(dir);
            File.WriteAllText(path, key.ExportPem(passphrase));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            output.Json(new { keyId = key.Id.ToString(), publicKey = Convert.ToBase64String(key.PublicKey.SubjectPublicKeyInfo), file = path });
            return ExitCodes.Ok;
        });
        var keys = new Command("keys", "Manage ES256 keys.");
        keys.Subcommands.Add(cmd);
        keys.Subcommands.Add(Rotate(output));
        return keys;
    }

    // The new key is written first and removed again if the ledger refuses the rotation, so a committed rotation never loses its key.
    private static Command Rotate(CliOutput output)
    {
        var connection = new NodeConnection();
        var outFile = new Option<string>("--out") { Required = true, Description = "Where to write the new PEM private key (mode 600)." };
        var owner = new Option<string?>("--owner") { Description = "The identity the key belongs to (member:…, org:…, patient:…); found from the node when omitted." };
        var cmd = new Command("rotate", "Replace the --key key with a new one (identity.rotate_key, signed by the old key); the old key is revoked.") { outFile, owner };
        connection.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(outFile)!;
            if (File.Exists(path))
            {
                return output.Fail(ExitCodes.Invalid, $"{path} exists; refusing to overwrite a key.");
            }
            return await connection.RunAsync(parse, output, async (client, factory) =>
            {
                var who = parse.GetValue(owner) ?? await OwnerOfAsync(parse.GetValue(connection.Node)!, factory.Key.Id, ct);
                using var next = SigningKey.Generate();
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                File.WriteAllText(path, next.ExportPem());
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
                var proof = next.Sign(System.Text.Encoding.UTF8.GetBytes(IdentityContract.ProofText(factory.Chain, who)));
                var args = new JsonObject
                {
                    ["publicKey"] = Convert.ToBase64String(next.PublicKey.SubjectPublicKeyInfo),
                    ["proof"] = Convert.ToBase64String(proof.Span),
                };
                var committed = false;
                try
                {
                    var outcome = await client.SubmitAsync(factory.Create("identity.rotate_key", args.ToJsonString()), TimeSpan.FromSeconds(30), ct);
                    committed = outcome.Status == "committed";
                    if (!committed)
                    {
                        return output.Fail(ExitCodes.Invalid, $"{outcome.Code}: {outcome.Message}");
                    }
                }
                finally
                {
                    if (!committed)
                    {
                        File.Delete(path);
                    }
                }
                output.Json(new { owner = who, revoked = factory.Key.Id.ToString(), keyId = next.Id.ToString(), file = path });
                return ExitCodes.Ok;
            }, ct);
        });
        return cmd;
    }

    // An organisation's or member's key names its owner in its JWKS; a patient's first key is its pseudonym.
    private static async Task<string> OwnerOfAsync(string node, KeyId key, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri(node.TrimEnd('/') + "/") };
        using var response = await http.GetAsync($"api/v1/keys/{key}/jwks", ct);
        if (response.IsSuccessStatusCode && JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))?["keys"]?[0]?["owner"]?.GetValue<string>() is { } owner)
        {
            return owner;
        }
        return IdentityKeys.PatientIdFor(key);
    }
}
