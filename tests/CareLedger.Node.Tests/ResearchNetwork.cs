using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CareLedger.Client;
using CareLedger.Contracts.Identity;
using CareLedger.Core.Crypto;

namespace CareLedger.Node.Tests;

/// <summary>
/// The node's hospital (org:local) as a trial site with a licensed investigator (member:dr-site), a research sponsor (org:nova-trials)
/// with a trial manager, and helpers to make patients with FHIR records and a research opt-in.
/// </summary>
internal sealed class ResearchNetwork : IDisposable
{
    public const string Sponsor = "org:nova-trials";
    public const string Investigator = "member:dr-site";
    public const string Manager = "member:tm-ada";

    private ResearchNetwork(InProcessNode node) => Node = node;

    public InProcessNode Node { get; }

    public SigningKey SponsorKey { get; private set; } = null!;

    public SigningKey ManagerKey { get; } = SigningKey.Generate();

    public SigningKey InvestigatorKey { get; } = SigningKey.Generate();

    public List<SigningKey> Patients { get; } = [];

    public static async Task<ResearchNetwork> CreateAsync(InProcessNode node)
    {
        var network = new ResearchNetwork(node);
        network.SponsorKey = await CareSetup.AdmitAsync(node, Sponsor, "ResearchSponsor");
        using var board = await CareSetup.AdmitAsync(node, "org:state-board", "LicensingBoard");
        await network.CommitAsync(network.SponsorKey, "identity.enrol_member",
            $$"""{"member":"{{Manager}}","roles":["trial_manager"],"publicKey":"{{Spki(network.ManagerKey)}}"}""");
        await network.CommitAsync(node.AdminKey, "identity.enrol_member",
            $$"""{"member":"{{Investigator}}","roles":["clinician"],"publicKey":"{{Spki(network.InvestigatorKey)}}"}""");
        var now = DateTimeOffset.UtcNow;
        await network.CommitAsync(board, "cred.issue",
            $$"""{"credential":"cred:lic-dr-site","subject":"{{Investigator}}","kind":"licence","profession":"physician","jurisdiction":"US-MA","number":"MD-1","validFrom":{{now.AddYears(-3).ToUnixTimeMilliseconds()}},"validUntil":{{now.AddYears(1).ToUnixTimeMilliseconds()}}}""");
        return network;
    }

    public static string Spki(SigningKey key) => Convert.ToBase64String(key.PublicKey.SubjectPublicKeyInfo);

    public static string PatientId(SigningKey key) => IdentityKeys.PatientIdFor(key.Id);

    public Task CommitAsync(SigningKey signer, string type, string args) => CareSetup.CommitAsync(Node.Client, signer, Node.Chain, type, args);

    /// <summary>
    /// A patient whose record at the hospital holds a Patient (born <paramref name="birthDate"/>), a Condition and an HbA1c Observation,
    /// written by the investigator under a treatment grant; with <paramref name="research"/> the patient opens them to research.
    /// </summary>
    public async Task<SigningKey> PatientAsync(string birthDate, string condition, decimal hba1c, bool research)
    {
        var key = SigningKey.Generate();
        Patients.Add(key);
        var id = PatientId(key);
        var expires = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds();
        await CommitAsync(key, "identity.register_patient", $$"""{"publicKey":"{{Spki(key)}}"}""");
        await CommitAsync(key, "consent.grant",
            $$"""{"patient":"{{id}}","grantee":{"kind":"member","id":"{{Investigator}}"},"actions":["append"],"purposes":["TREAT"],"expires":{{expires}}}""");
        await Fhir("Patient", id, "demographics", $$"""{"resourceType":"Patient","gender":"female","birthDate":"{{birthDate}}"}""");
        await Fhir("Condition", id, "problems",
            $$$"""{"resourceType":"Condition","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10","code":"{{{condition}}}"}]},"subject":{"reference":"Patient/x"}}""");
        await Fhir("Observation", id, "laboratory",
            $$$"""{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"4548-4"}]},"effectiveDateTime":"2026-10-01","valueQuantity":{"value":{{{hba1c.ToString(System.Globalization.CultureInfo.InvariantCulture)}}},"unit":"%"}}""");
        if (research)
        {
            await CommitAsync(key, "consent.grant",
                $$"""{"patient":"{{id}}","grantee":{"kind":"organisation","id":"org:local"},"actions":["read"],"purposes":["HRESCH"],"expires":{{expires}}}""");
        }
        return key;
    }

    /// <summary>The sponsor registers a trial with the hospital as its site.</summary>
    public Task RegisterTrialAsync(string trial, int maxAge) => CommitAsync(ManagerKey, "trial.register", $$"""
        {"trial":"{{trial}}","title":"Weekly GLP-1 agonist in type 2 diabetes","protocolHash":"{{new string('a', 64)}}","sapHash":"{{new string('b', 64)}}",
         "primaryEndpoints":["HbA1c change at week 26"],"eligibility":{"minAge":18,"maxAge":{{maxAge}},"conditions":["E11"],"excludedConditions":["E10"],
         "labs":[{"code":"4548-4","min":"7.0","max":"10.5"}]},"sites":[{"site":"org:local","investigator":"{{Investigator}}"}]}
        """);

    public async Task<(HttpStatusCode Status, string Body)> SendAsync(SigningKey caller, HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken.Create(caller, Node.Chain, TimeSpan.FromMinutes(2), DateTimeOffset.UtcNow));
        using var response = await Node.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static JsonElement Parse(string body) => JsonDocument.Parse(body).RootElement;

    private async Task Fhir(string type, string patient, string category, string json)
    {
        var (status, body) = await SendAsync(InvestigatorKey, HttpMethod.Post, $"fhir/{type}?patient={patient}&category={category}",
            new StringContent(json, Encoding.UTF8, "application/fhir+json"));
        Assert.True(status == HttpStatusCode.Created, $"{type}: {status} {body}");
    }

    public void Dispose()
    {
        SponsorKey.Dispose();
        ManagerKey.Dispose();
        InvestigatorKey.Dispose();
        Patients.ForEach(p => p.Dispose());
    }
}
