using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using CareLedger.Client;
using CareLedger.Contracts.Identity;
using CareLedger.Core.Crypto;

namespace CareLedger.Cli.Commands;

/// <summary>
/// <c>bench-fhir</c>: FHIR create and gatekeeper read throughput and latency against a running node.
/// With the organisation key it enrols a staff member, registers a synthetic patient who grants that
/// member read and append, then runs a create phase and a read phase with N concurrent clients.
/// Every create is validated, encrypted and registered on the ledger; every read is decided and logged
/// on the ledger before release.
/// </summary>
internal static class FhirBenchCommand
{
    private const string Observation = """{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2345-7"}]},"valueQuantity":{"value":5.4,"unit":"mmol/L"}}""";

    public static Command Create(CliOutput output)
    {
        var connection = new NodeConnection();
        var clients = new Option<int>("--clients") { Description = "Concurrent clients.", DefaultValueFactory = _ => 8 };
        var seconds = new Option<int>("--duration") { Description = "Seconds per phase (create, then read).", DefaultValueFactory = _ => 20 };
        var cmd = new Command("bench-fhir", "Measure FHIR create and gatekeeper read throughput and latency on a running node.") { clients, seconds };
        connection.AddTo(cmd);
        cmd.SetAction((parse, ct) => connection.RunAsync(parse, output, async (admin, factory) =>
        {
            var (n, phase) = (parse.GetValue(clients), TimeSpan.FromSeconds(parse.GetValue(seconds)));
            using var staff = SigningKey.Generate();
            using var patient = SigningKey.Generate();
            var member = "member:bench-" + Convert.ToHexStringLower(staff.Id.Value.Span[..6]);
            var patientId = IdentityKeys.PatientIdFor(patient.Id);
            async Task Commit(SigningKey signer, string type, string args)
            {
                var outcome = await admin.SubmitAsync(new TransactionFactory(signer, factory.Chain).Create(type, args), TimeSpan.FromSeconds(30), ct);
                if (outcome.Status != "committed")
                {
                    throw new CareLedgerException(outcome.Code ?? "bench.setup", $"{type}: {outcome.Message}", 400);
                }
            }
            await Commit(factory.Key, "identity.enrol_member", $$"""{"member":"{{member}}","roles":["clinician"],"publicKey":"{{Convert.ToBase64String(staff.PublicKey.SubjectPublicKeyInfo)}}"}""");
            await Commit(patient, "identity.register_patient", $$"""{"publicKey":"{{Convert.ToBase64String(patient.PublicKey.SubjectPublicKeyInfo)}}"}""");
            await Commit(patient, "consent.grant", $$"""{"patient":"{{patientId}}","grantee":{"kind":"member","id":"{{member}}"},"actions":["read","append"],"purposes":["TREAT"],"expires":{{DateTimeOffset.UtcNow.AddHours(2).ToUnixTimeMilliseconds()}}}""");

            using var http = new HttpClient { BaseAddress = new Uri(parse.GetValue(connection.Node)!.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(60) };
            var token = AccessToken.Create(staff, factory.Chain, AccessToken.MaxLifetime, DateTimeOffset.UtcNow);
            var created = new ConcurrentBag<string>();
            var create = await RunPhase(n, phase, async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"fhir/Observation?patient={patientId}&category=laboratory")
                {
                    Content = new StringContent(Observation, System.Text.Encoding.UTF8, "application/fhir+json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http.SendAsync(request, ct);
                if ((int)response.StatusCode == 201)
                {
                    created.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("id").GetString()!);
                    return true;
                }
                return false;
            });
            var ids = created.ToArray();
            var read = await RunPhase(n, phase, async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"fhir/Observation/{ids[Random.Shared.Next(ids.Length)]}");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http.SendAsync(request, ct);
                return (int)response.StatusCode == 200;
            });
            output.Json(new { clients = n, create, read });
            return ExitCodes.Ok;
        }, ct));
        return cmd;
    }

    // N clients call the operation back to back for the phase's duration (bounded); latency per call.
    private static async Task<object> RunPhase(int clients, TimeSpan duration, Func<Task<bool>> operation)
    {
        var latencies = new ConcurrentBag<double>();
        long failed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                if (await operation())
                {
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })));
        var sorted = latencies.Order().ToArray();
        double P(double p) => sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)], 1);
        return new { succeeded = sorted.Length, failed, perSecond = Math.Round(sorted.Length / clock.Elapsed.TotalSeconds, 1), p50Ms = P(0.50), p95Ms = P(0.95), p99Ms = P(0.99) };
    }
}
