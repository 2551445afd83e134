using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using CareLedger.Client;
using CareLedger.Client.Wire;
using CareLedger.Contracts;
using CareLedger.Contracts.Identity;
using CareLedger.Contracts.Network;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Ledger.Audit;
using CareLedger.Node;
using CareLedger.Storage;

namespace CareLedger.Cli.Commands;

/// <summary>Offline audit: <c>export</c>, <c>verify</c>, <c>receipt get</c> and <c>receipt verify</c>.</summary>
internal static class AuditCommands
{
    public static Command Export(CliOutput output)
    {
        var data = new Option<string>("--data") { Description = "Data directory of a node.", DefaultValueFactory = _ => DataDefaults.Directory };
        var outFile = new Option<string>("--out") { Required = true, Description = "Export file to write (CBOR sequence)." };
        var cmd = new Command("export", "Write the chain (genesis, blocks, transactions, results) to an export file.") { data, outFile };
        cmd.SetAction(parse =>
        {
            DataDirectory dir;
            LedgerStore store;
            try
            {
                dir = DataDirectory.Existing(parse.GetValue(data)!);
                store = LedgerStore.Open(dir.LedgerPath);
            }
            catch (Exception ex) when (ex is FileNotFoundException or NotSupportedException)
            {
                return output.Fail(ExitCodes.Malformed, ex.Message);
            }
            using var _ = store;
            var path = parse.GetValue(outFile)!;
            var head = store.GetHead()?.Header.Height ?? -1;
            var temp = path + ".tmp";
            using (var file = File.Create(temp))
            {
                ChainExport.Write(file, dir.ReadGenesis(), store.ReadBlocks(), output.Progress("blocks exported", head + 1));
            }
            File.Move(temp, path, overwrite: true);
            output.EndProgress();
            output.Json(new { file = path, blocks = head + 1, bytes = new FileInfo(path).Length });
            return ExitCodes.Ok;
        });
        return cmd;
    }

    public static Command Verify(CliOutput output)
    {
        var path = new Argument<string>("PATH") { Description = "A node's data directory, or an export file.", DefaultValueFactory = _ => DataDefaults.Directory };
        var cmd = new Command("verify", "Audit a data directory or an export offline: every hash, signature, Merkle root, header link, re-executed result and state row.") { path };
        cmd.SetAction(parse =>
        {
            var target = parse.GetValue(path)!;
            var clock = Stopwatch.StartNew();
            AuditReport report;
            try
            {
                report = Directory.Exists(target) ? AuditDataDirectory(target, output) : AuditExport(target, output);
            }
            catch (Exception ex) when (ex is FormatException or FileNotFoundException or StoreCorruptedException or NotSupportedException)
            {
                return output.Fail(ExitCodes.Malformed, ex.Message);
            }
            output.EndProgress();
            var seconds = clock.Elapsed.TotalSeconds;
            output.Json(new
            {
                valid = report.Passed,
                blocks = report.Blocks,
                transactions = report.Transactions,
                stateKeys = report.StateKeys,
                seconds = Math.Round(seconds, 3),
                transactionsPerSecond = Math.Round(report.Transactions / Math.Max(seconds, 1e-6)),
                failure = report.Failure is { } f ? new { height = f.Height >= 0 ? f.Height : (long?)null, reason = f.Reason, table = f.Table, row = f.Row } : null,
            });
            return report.Passed ? ExitCodes.Ok : output.Fail(ExitCodes.Invalid, $"invalid: {report.Failure}");
        });
        return cmd;
    }

    /// <summary>The full offline audit of a data directory (what <c>verify DIR</c> runs).</summary>
    internal static AuditReport AuditDataDirectory(string path, CliOutput output)
    {
        var dir = DataDirectory.Existing(path);
        var genesis = dir.ReadGenesis();
        LedgerStore store;
        try
        {
            store = LedgerStore.Open(dir.LedgerPath);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            return new AuditReport(0, 0, 0, new AuditFailure(-1, $"SQLite cannot open the store: {ex.Message}") { Table = "(file)" });
        }
        using (store)
        {
            return new StoreAuditor(genesis, Auditor(genesis), NetworkGovernance.EverApprovedKeys).Audit(store, output.Progress("transactions verified"));
        }
    }

    private static AuditReport AuditExport(string path, CliOutput output)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No data directory or export file at {path}.");
        }
        var (genesis, blocks) = ChainExport.Read(File.ReadAllBytes(path));
        return Auditor(genesis).Audit(blocks, null, output.Progress("transactions verified"));
    }

    private static ChainAuditor Auditor(GenesisDocument genesis) =>
        new(genesis, IdentityGenesis.StateFor(genesis), ContractCatalog.Executor(new IdentitySignerDirectory()));

    public static Command Receipt(CliOutput output)
    {
        var receipt = new Command("receipt", "Fetch and check receipts.");
        receipt.Subcommands.Add(GetReceipt(output));
        receipt.Subcommands.Add(VerifyReceipt(output));
        return receipt;
    }

    private static Command GetReceipt(CliOutput output)
    {
        var connection = new NodeConnection();
        var id = new Argument<string>("ID") { Description = "Transaction id." };
        var certified = new Option<bool>("--certified") { Description = "Consortium: the receipt against the highest header a majority of validators signed." };
        var witnessed = new Option<bool>("--witnessed") { Description = "The receipt against the newest checkpoint the node's witnesses cosigned, carrying it (for 'receipt verify --witness')." };
        var cmd = new Command("get", "Fetch the receipt of a committed transaction (JSON, for 'receipt verify').") { id, certified, witnessed };
        connection.AddTo(cmd);
        cmd.SetAction(async (parse, ct) => !Hash.TryParse(parse.GetValue(id), out var hash)
            ? output.Fail(ExitCodes.Malformed, "A transaction id is 64 hex digits.")
            : await connection.RunAsync(parse, output, async (client, _) =>
            {
                output.Json(parse.GetValue(witnessed) ? await client.GetWitnessedReceiptAsync(hash, ct) : await client.GetReceiptAsync(hash, parse.GetValue(certified), ct));
                return ExitCodes.Ok;
            }, ct));
        return cmd;
    }

    private static Command VerifyReceipt(CliOutput output)
    {
        var receiptFile = new Option<string>("--receipt") { Required = true, Description = "Receipt JSON (from 'receipt get' or the API)." };
        var headFile = new Option<string?>("--head") { Description = "A signed head you trust (JSON from 'block head'); the receipt must lead to it." };
        var genesisFile = new Option<string>("--genesis") { Description = "The chain's genesis.cbor: its validators are the trusted header signers.", DefaultValueFactory = _ => DataDefaults.GenesisIn(DataDefaults.Directory) };
        var majority = new Option<bool>("--majority") { Description = "Consortium: the header must carry signatures of a majority of the genesis validators, not just one." };
        var witnessKeys = new Option<string[]>("--witness") { Description = "A witness verifier key (name+keyid+base64) that must have cosigned the receipt's checkpoint (receipt get --witnessed); repeatable." };
        var cmd = new Command("verify", "Check a receipt offline against the genesis validators (and a signed head, and witnesses).") { receiptFile, headFile, genesisFile, majority, witnessKeys };
        cmd.SetAction(parse =>
        {
            ReceiptDocument document;
            Receipt receipt;
            GenesisDocument genesis;
            SignedBlockHeader? head = null;
            IReadOnlyList<Witness> witnesses;
            try
            {
                witnesses = (parse.GetValue(witnessKeys) ?? []).Select(Witness.Parse).ToList();
                genesis = GenesisDocument.Parse(File.ReadAllBytes(parse.GetValue(genesisFile)!));
                document = JsonSerializer.Deserialize<ReceiptDocument>(File.ReadAllText(parse.GetValue(receiptFile)!), CareLedgerClient.Json)
                    ?? throw new FormatException("Empty receipt file.");
                receipt = document.ToReceipt();
                if (parse.GetValue(headFile) is { } hf)
                {
                    var view = JsonSerializer.Deserialize<HeaderView>(File.ReadAllText(hf), CareLedgerClient.Json) ?? throw new FormatException("Empty head file.");
                    head = BlockHeaderCodec.ParseSigned(Convert.FromBase64String(view.SignedHeader));
                }
            }
            catch (Exception ex) when (ex is FormatException or JsonException or IOException or ArgumentNullException)
            {
                return output.Fail(ExitCodes.Malformed, ex.Message);
            }
            var validators = genesis.ValidatorKeys();
            if (head is not null)
            {
                if (!head.HasValidSignatures(validators))
                {
                    return output.Fail(ExitCodes.Invalid, "invalid: the head is not signed by a validator of the genesis.");
                }
                if (head.Header.Hash != receipt.SignedHeader.Header.Hash)
                {
                    return output.Fail(ExitCodes.Invalid, $"invalid: the receipt leads to header {receipt.SignedHeader.Header.Hash}, not to the given head {head.Header.Hash}.");
                }
            }
            if (receipt.SignedHeader.Header.Chain != genesis.Chain)
            {
                return output.Fail(ExitCodes.Invalid, $"invalid: the receipt is for chain '{receipt.SignedHeader.Header.Chain}', not '{genesis.Chain}'.");
            }
            if (document.Verify(validators, parse.GetValue(majority) ? (validators.Count / 2) + 1 : 1) is { } reason)
            {
                return output.Fail(ExitCodes.Invalid, "invalid: " + reason);
            }
            if (witnesses.Count > 0 && document.VerifyWitnessed(witnesses, validators.Values) is { } unwitnessed)
            {
                return output.Fail(ExitCodes.Invalid, "invalid: " + unwitnessed);
            }
            output.Json(new
            {
                valid = true,
                transaction = receipt.Result.TransactionId.ToString(),
                status = receipt.Result.Status == TransactionStatus.Committed ? "committed" : "rejected",
                height = receipt.Result.Height,
                logIndex = receipt.LogIndex,
                head = receipt.SignedHeader.Header.Hash.ToString(),
                cose = document.Cose is not null,
                witnesses = witnesses.Select(w => w.Name).ToList(),
            });
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
