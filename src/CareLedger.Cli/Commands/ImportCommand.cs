using System.CommandLine;
using CareLedger.Vault;
using Hl7.Fhir.Model;

namespace CareLedger.Cli.Commands;

/// <summary>
/// <c>import fhir BUNDLE.json --patient P</c>: stores every resource of a FHIR transaction or collection
/// Bundle (e.g. Synthea output) for a patient through the node's gatekeeper, with progress on a terminal.
/// Each resource is validated, encrypted into the custodian's vault and registered on the ledger.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(CliOutput output)
    {
        var connection = new NodeConnection();
        var bundleFile = new Argument<string>("BUNDLE") { Description = "A FHIR R4 Bundle (JSON)." };
        var patient = new Option<string>("--patient") { Required = true, Description = "The patient's ledger pseudonym (patient:…)." };
        var category = new Option<string?>("--category") { Description = "Record category for every resource (default: the resource type in lowercase)." };
        var fhir = new Command("fhir", "Import a FHIR R4 Bundle for a patient through the gatekeeper.") { bundleFile, patient, category };
        connection.AddTo(fhir);
        fhir.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(bundleFile)!;
            if (!File.Exists(path))
            {
                return output.Fail(ExitCodes.Malformed, $"No such file: {path}");
            }
            var (resource, outcome) = FhirResourceReader.Read(await File.ReadAllTextAsync(path, ct));
            if (resource is not Bundle bundle)
            {
                return output.Fail(ExitCodes.Malformed, resource is null
                    ? "Not valid FHIR R4: " + string.Join("; ", outcome!.Issue.Select(i => i.Diagnostics))
                    : $"Expected a Bundle, got a {resource.TypeName}.");
            }
            var entries = bundle.Entry.Where(e => e.Resource is not null).Select(e => e.Resource!).ToList();
            return await connection.RunAsync(parse, output, async (client, _) =>
            {
                var progress = output.Progress("resources imported", entries.Count);
                var (created, failed) = (0, new List<object>());
                foreach (var item in entries)
                {
                    var (status, body) = await client.CreateFhirAsync(item.TypeName, parse.GetValue(patient)!,
                        parse.GetValue(category) ?? item.TypeName.ToLowerInvariant(), FhirResourceReader.ToJson(item), ct);
                    if (status == 201)
                    {
                        created++;
                    }
                    else
                    {
                        failed.Add(new { resourceType = item.TypeName, status, outcome = body });
                    }
                    progress.Report(created + failed.Count);
                }
                output.EndProgress();
                output.Json(new { resources = entries.Count, created, failed });
                return failed.Count == 0 ? ExitCodes.Ok : ExitCodes.Invalid;
            }, ct);
        });
        var import = new Command("import", "Bring clinical data in through the gatekeeper.");
        import.Subcommands.Add(fhir);
        return import;
    }
}
