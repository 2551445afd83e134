using System.CommandLine;
using System.Text.Json.Nodes;
using CareLedger.Contracts.SupplyChain.Epcis;

namespace CareLedger.Cli.Commands;

/// <summary><c>epcis hash</c>: the CBV 2.0 hash ID of every event of an EPCIS 2.0 JSON-LD document, offline.</summary>
internal static class EpcisCommands
{
    public static Command Create(CliOutput output)
    {
        var file = new Argument<string>("FILE") { Description = "An EPCIS 2.0 JSON-LD document (or a JSON array of events)." };
        var hash = new Command("hash", "Print the hash ID (ni:///sha-256;…?ver=CBV2.0) of each event, one per line, in document order.") { file };
        hash.SetAction(parse =>
        {
            JsonNode? document;
            try
            {
                document = JsonNode.Parse(File.ReadAllText(parse.GetValue(file)!));
            }
            catch (System.Text.Json.JsonException ex)
            {
                return output.Fail(ExitCodes.Malformed, $"epcis.malformed: not JSON ({ex.Message}).");
            }
            IReadOnlyList<JsonObject> events;
            try
            {
                events = EpcisDocument.Events(document);
            }
            catch (EpcisException ex)
            {
                return output.Fail(ex.Code == "epcis.malformed" ? ExitCodes.Malformed : ExitCodes.Invalid, $"{ex.Code}: {ex.Message}");
            }
            try
            {
                foreach (var evt in events)
                {
                    output.Out.WriteLine(EpcisEventHash.HashId(evt));
                }
                return ExitCodes.Ok;
            }
            catch (EpcisException ex)
            {
                return output.Fail(ExitCodes.Invalid, $"{ex.Code}: {ex.Message}");
            }
        });
        var epcis = new Command("epcis", "EPCIS 2.0 events and their CBV 2.0 hash IDs.");
        epcis.Subcommands.Add(hash);
        epcis.Subcommands.Add(Capture(output));
        return epcis;
    }

    private static Command Capture(CliOutput output)
    {
        var connection = new NodeConnection();
        var file = new Argument<string>("FILE") { Description = "An EPCIS 2.0 JSON-LD document." };
        var cmd = new Command("capture",
            "Turn each event into ledger transactions (the contracts check them as any submission), anchor its hash ID, in document order; stop at the first refusal.")
        {
            file,
        };
        connection.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            IReadOnlyList<EpcisCapture.CapturedEvent> events;
            try
            {
                events = EpcisCapture.Translate(JsonNode.Parse(File.ReadAllText(parse.GetValue(file)!))!);
            }
            catch (System.Text.Json.JsonException ex)
            {
                return output.Fail(ExitCodes.Malformed, $"epcis.malformed: not JSON ({ex.Message}).");
            }
            catch (EpcisException ex)
            {
                return output.Fail(ExitCodes.Invalid, $"{ex.Code}: {ex.Message}");
            }
            return await connection.RunAsync(parse, output, async (client, factory) =>
            {
                var report = new List<object>();
                foreach (var captured in events)
                {
                    var transactions = new List<object>();
                    foreach (var step in captured.Steps)
                    {
                        var outcome = await client.SubmitAsync(factory.Create(step.Type, Core.Encoding.TransactionArgs.FromJson(step.Args)), TimeSpan.FromSeconds(30), ct);
                        transactions.Add(new { type = step.Type, id = outcome.Id, status = outcome.Status, code = outcome.Code });
                        if (outcome.Status != "committed")
                        {
                            report.Add(new { @event = captured.HashId, transactions });
                            output.Json(report);
                            return output.Fail(ExitCodes.Invalid, $"{step.Type} for event {captured.HashId} was {outcome.Status}: {outcome.Code} {outcome.Message}");
                        }
                    }
                    report.Add(new { @event = captured.HashId, transactions });
                }
                output.Json(report);
                return ExitCodes.Ok;
            }, ct);
        });
        return cmd;
    }
}
