using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using CareLedger.Client;
using CareLedger.Client.Wire;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Core.Merkle;

namespace CareLedger.Cli.Commands;

/// <summary>
/// <c>head watch</c>: holds a node to an append-only history from outside it. It keeps the last checkpoint it accepted in
/// a state file, and accepts a new one only with a consistency proof from the old; a smaller log (rollback) or another root
/// for the same or a later log (fork) ends it with exit code 1 and both signed checkpoints, which are the evidence.
/// </summary>
internal static class HeadCommands
{
    public static Command Create(CliOutput output)
    {
        var node = new Option<string>("--node") { Description = "Node address (default: CARELEDGER_NODE, else http://127.0.0.1:5080).", DefaultValueFactory = _ => DataDefaults.Node };
        var state = new Option<string>("--state") { Required = true, Description = "File keeping the last checkpoint accepted (created on first use)." };
        var genesisFile = new Option<string>("--genesis") { Description = "The chain's genesis.cbor: its validators' keys sign checkpoints.", DefaultValueFactory = _ => DataDefaults.GenesisIn(DataDefaults.Directory) };
        var trust = new Option<string[]>("--trust-key") { Description = "Also trust this public key (PEM), e.g. a validator that joined after the genesis." };
        var every = new Option<int>("--every") { Description = "Keep watching: check again every N seconds until a check fails (default: check once)." };
        var cosignKey = new Option<string?>("--cosign-key") { Description = "Act as a witness: cosign each checkpoint accepted with this signer key file (from 'head witness-key') and hand the cosignature to the node." };
        var watch = new Command("watch", "Check the node's signed checkpoint against the last one seen: append-only, or exit 1 with both.") { node, state, genesisFile, trust, every, cosignKey };
        watch.SetAction(async (parse, ct) =>
        {
            IReadOnlyList<PublicKey> trusted;
            WitnessKey? witness;
            try
            {
                witness = parse.GetValue(cosignKey) is { } keyFile ? WitnessKey.Parse(File.ReadAllText(keyFile)) : null;
                var genesis = GenesisDocument.Parse(File.ReadAllBytes(parse.GetValue(genesisFile)!));
                trusted = [.. genesis.ValidatorKeys().Values, .. (parse.GetValue(trust) ?? []).Select(f => PublicKey.FromPem(File.ReadAllText(f)))];
            }
            catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException or ArgumentException)
            {
                return output.Fail(ExitCodes.Malformed, $"Cannot read the trusted keys: {ex.Message}");
            }
            using var http = new HttpClient { BaseAddress = new Uri(parse.GetValue(node)!.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
            var seconds = parse.GetValue(every);
            while (true)
            {
                var code = await CheckAsync(http, parse.GetValue(state)!, trusted, witness, output, ct);
                if (code != ExitCodes.Ok || seconds <= 0)
                {
                    return code;
                }
                await Task.Delay(TimeSpan.FromSeconds(seconds), ct);
            }
        });
        var head = new Command("head", "Watch a node's signed head from outside it, as a watcher or a witness (docs/witnessing.md).");
        head.Subcommands.Add(watch);
        head.Subcommands.Add(WitnessKeyCommand(output));
        return head;
    }

    private static Command WitnessKeyCommand(CliOutput output)
    {
        var name = new Option<string>("--name") { Required = true, Description = "The witness's name, a schema-less URL such as witness.hospital.example/ledger." };
        var outFile = new Option<string>("--out") { Required = true, Description = "File for the signer key (keep it private)." };
        var cmd = new Command("witness-key", "Make a witness's Ed25519 key: writes the signer key, prints the verifier key nodes and clients configure.") { name, outFile };
        cmd.SetAction(parse =>
        {
            WitnessKey key;
            try
            {
                key = WitnessKey.Generate(parse.GetValue(name)!);
            }
            catch (FormatException ex)
            {
                return output.Fail(ExitCodes.Malformed, ex.Message);
            }
            var path = parse.GetValue(outFile)!;
            if (File.Exists(path))
            {
                return output.Fail(ExitCodes.Malformed, $"{path} exists; a witness key is never overwritten.");
            }
            File.WriteAllText(path, key.SignerKey + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            output.Json(new { name = key.Witness.Name, verifierKey = key.Witness.VerifierKey, signerKeyFile = path });
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static async Task<int> CheckAsync(HttpClient http, string statePath, IReadOnlyList<PublicKey> trusted, WitnessKey? witness, CliOutput output,
        CancellationToken ct)
    {
        string note;
        Checkpoint latest;
        try
        {
            note = await http.GetStringAsync(new Uri("api/v1/checkpoint", UriKind.Relative), ct);
            latest = Checkpoint.Open(note, trusted);
        }
        catch (HttpRequestException ex)
        {
            return output.Fail(ExitCodes.Malformed, $"The node did not answer: {ex.Message}");
        }
        catch (FormatException ex)
        {
            return output.Fail(ExitCodes.Invalid, $"The node's checkpoint is not acceptable: {ex.Message}");
        }
        if (!File.Exists(statePath))
        {
            Save(statePath, note);
            var cosigned = await CosignAsync(http, note, latest, witness, ct);
            output.Json(new { verdict = "first", size = latest.Size, height = latest.Height, root = latest.Root.ToString(), cosigned });
            return cosigned is null or "kept" ? ExitCodes.Ok : output.Fail(ExitCodes.Malformed, $"The node did not keep the cosignature: {cosigned}");
        }
        string seenNote;
        Checkpoint seen;
        try
        {
            seenNote = JsonSerializer.Deserialize<WatchState>(File.ReadAllText(statePath))?.Checkpoint ?? throw new FormatException("it holds no checkpoint");
            seen = Checkpoint.Open(seenNote, trusted);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or IOException)
        {
            return output.Fail(ExitCodes.Malformed, $"{statePath} cannot be read: {ex.Message}");
        }
        string? verdict = null;
        if (latest.Origin != seen.Origin)
        {
            return output.Fail(ExitCodes.Malformed, $"The node serves '{latest.Origin}', not '{seen.Origin}' that {statePath} watches.");
        }
        if (latest.Size < seen.Size)
        {
            verdict = "rollback";
        }
        else if (latest.Size == seen.Size ? latest.Root != seen.Root : !await ConsistentAsync(http, seen, latest, ct))
        {
            verdict = "fork";
        }
        if (verdict is not null)
        {
            output.Json(new { verdict, seen = seenNote, now = note });
            return output.Fail(ExitCodes.Invalid,
                $"{verdict}: the node's log was size {seen.Size} (block {seen.Height}) and is now size {latest.Size} (block {latest.Height}) with {(verdict == "fork" ? "a history that does not extend it" : "fewer entries")}; both signed checkpoints are above.");
        }
        Save(statePath, note);
        var kept = await CosignAsync(http, note, latest, witness, ct);
        output.Json(new { verdict = "consistent", from = seen.Size, size = latest.Size, height = latest.Height, root = latest.Root.ToString(), cosigned = kept });
        return kept is null or "kept" ? ExitCodes.Ok : output.Fail(ExitCodes.Malformed, $"The node did not keep the cosignature: {kept}");
    }

    // A witness cosigns only what it accepted as consistent with everything it saw before: that is what the cosignature says.
    // Null when not a witness; "kept", or the node's refusal.
    private static async Task<string?> CosignAsync(HttpClient http, string note, Checkpoint accepted, WitnessKey? witness, CancellationToken ct)
    {
        if (witness is null)
        {
            return null;
        }
        var cosigned = note + witness.Cosign(accepted, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        using var response = await http.PostAsync(new Uri("api/v1/checkpoint/cosignatures", UriKind.Relative),
            new StringContent(cosigned, System.Text.Encoding.UTF8, "text/plain"), ct);
        return response.IsSuccessStatusCode ? "kept" : await response.Content.ReadAsStringAsync(ct);
    }

    // The proof comes from the node being watched; what makes it evidence is that it must lead from the root kept here.
    private static async Task<bool> ConsistentAsync(HttpClient http, Checkpoint seen, Checkpoint latest, CancellationToken ct)
    {
        if (seen.Size == 0)
        {
            return true;
        }
        var view = await http.GetFromJsonAsync<ConsistencyView>(new Uri($"api/v1/log/consistency?size1={seen.Size}&size2={latest.Size}", UriKind.Relative), CareLedgerClient.Json, ct);
        return view is not null && MerkleProofs.VerifyConsistency(seen.Size, latest.Size, seen.Root, latest.Root, view.Proof.Select(Hash.Parse).ToList());
    }

    private static void Save(string path, string note)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(new WatchState(note)));
        File.Move(temp, path, overwrite: true);
    }

    private sealed record WatchState(string Checkpoint);
}
