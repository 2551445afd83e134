using System.CommandLine;
using CareLedger.Core.Crypto;

namespace CareLedger.Cli.Commands;

/// <summary><c>keys new</c>: create an ES256 key file.</summary>
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
        return keys;
    }
}
