using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CareLedger.Client;
using CareLedger.Contracts.Records;
using CareLedger.Core.Crypto;

namespace CareLedger.Node.Tests;

[Collection("network")]
public sealed class FhirGatekeeperTests : NodeTest
{
    private const string Observation = """
        {"resourceType":"Observation","status":"final","code":{"text":"HbA1c"},
         "subject":{"display":"Jane Example, born 1970-02-03"},"valueQuantity":{"value":6.1,"unit":"%"}}
        """;

    private async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> Send(SigningKey caller, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken.Create(caller, Node.Chain, TimeSpan.FromMinutes(2), DateTimeOffset.UtcNow));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/fhir+json");
        }
        var response = await Node.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    [Fact]
    public async Task A_research_read_is_de_identified_unless_the_grant_names_the_researcher()
    {
        using var care = await CareSetup.CreateAsync(Node.Client, Node.AdminKey, Node.Chain, "member:dr-rs", """["append"]""");
        using var researcher = SigningKey.Generate();
        using var nurse = SigningKey.Generate();
        await CareSetup.CommitAsync(Node.Client, Node.AdminKey, Node.Chain, "identity.enrol_member",
            $$"""{"member":"member:researcher-1","roles":["researcher"],"publicKey":"{{Convert.ToBase64String(researcher.PublicKey.SubjectPublicKeyInfo)}}"}""");
        await CareSetup.CommitAsync(Node.Client, Node.AdminKey, Node.Chain, "identity.enrol_member",
            $$"""{"member":"member:nurse-rs","roles":["nurse"],"publicKey":"{{Convert.ToBase64String(nurse.PublicKey.SubjectPublicKeyInfo)}}"}""");
        const string identifiable = """
            {"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"4548-4"}],"text":"HbA1c"},
             "subject":{"display":"Jane Example, born 1970-02-03"},"effectiveDateTime":"2026-11-03T10:15:00Z",
             "note":[{"text":"Jane says she moved to 12 Elm Street"}],"valueQuantity":{"value":6.1,"unit":"%"}}
            """;
        var created = await Send(care.Clinician, HttpMethod.Post, $"fhir/Observation?patient={care.PatientId}&category=laboratory", identifiable);
        var fhirId = JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetString()!;
        var expires = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
        await CareSetup.CommitAsync(Node.Client, care.Patient, Node.Chain, "consent.grant",
            $$"""{"patient":"{{care.PatientId}}","grantee":{"kind":"organisation","id":"org:local"},"actions":["read"],"purposes":["HRESCH"],"expires":{{expires}}}""");

        // The hole: a nurse who said "research" got the identifiable record.
        var nurseRead = await Send(nurse, HttpMethod.Get, $"fhir/Observation/{fhirId}?purpose=HRESCH");
        Assert.Equal(HttpStatusCode.Forbidden, nurseRead.Status);
        Assert.Contains("consent.purpose_not_permitted", nurseRead.Body, StringComparison.Ordinal);

        var research = await Send(researcher, HttpMethod.Get, $"fhir/Observation/{fhirId}?purpose=HRESCH");
        Assert.Equal(HttpStatusCode.OK, research.Status);
        Assert.DoesNotContain("Jane", research.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Elm", research.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("1970", research.Body, StringComparison.Ordinal);
        var observation = JsonDocument.Parse(research.Body).RootElement;
        Assert.Equal(("2026", "4548-4", 6.1m), (observation.GetProperty("effectiveDateTime").GetString(),
            observation.GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString(), observation.GetProperty("valueQuantity").GetProperty("value").GetDecimal()));

        // A grant naming the researcher individually releases the identifiable record.
        await CareSetup.CommitAsync(Node.Client, care.Patient, Node.Chain, "consent.grant",
            $$"""{"patient":"{{care.PatientId}}","grantee":{"kind":"member","id":"member:researcher-1"},"actions":["read"],"purposes":["HRESCH"],"expires":{{expires}}}""");
        var named = await Send(researcher, HttpMethod.Get, $"fhir/Observation/{fhirId}?purpose=HRESCH");
        Assert.Contains("Jane", named.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grant_create_read_log_revoke_deny_end_to_end()
    {
        using var care = await CareSetup.CreateAsync(Node.Client, Node.AdminKey, Node.Chain, "member:dr-1", null);
        var (doctor, patient, patientId) = (care.Clinician, care.Patient, care.PatientId);

        // Without consent nothing is stored.
        var refused = await Send(doctor, HttpMethod.Post, $"fhir/Observation?patient={patientId}&category=laboratory", Observation);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("consent.not_granted", refused.Body);

        var grant = new TransactionFactory(patient, Node.Chain).Create("consent.grant",
            $$"""{"patient":"{{patientId}}","grantee":{"kind":"role","id":"clinician","organisation":"org:local"},"actions":["read","append"],"purposes":["TREAT"],"expires":{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds()}}}""");
        Assert.Equal("committed", (await Node.Client.SubmitAsync(grant, TimeSpan.FromSeconds(10))).Status);

        var invalid = await Send(doctor, HttpMethod.Post, $"fhir/Observation?patient={patientId}&category=laboratory", """{"resourceType":"Observation","status":"bogus"}""");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Contains("OperationOutcome", invalid.Body);

        var created = await Send(doctor, HttpMethod.Post, $"fhir/Observation?patient={patientId}&category=laboratory", Observation);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var location = created.Response.Headers.Location!.ToString();
        var fhirId = JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetString()!;
        Assert.Equal($"/fhir/Observation/{fhirId}/_history/1", location);

        var read = await Send(doctor, HttpMethod.Get, $"fhir/Observation/{fhirId}?purpose=TREAT");
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Contains("6.1", read.Body);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(doctor, HttpMethod.Get, $"fhir/Observation/{fhirId}?purpose=HRESCH")).Status);

        Assert.Equal("committed", (await Node.Client.SubmitAsync(new TransactionFactory(patient, Node.Chain).Create("consent.revoke", $$"""{"grant":"{{grant.Id}}"}"""), TimeSpan.FromSeconds(10))).Status);
        var denied = await Send(doctor, HttpMethod.Get, $"fhir/Observation/{fhirId}");
        Assert.Equal(HttpStatusCode.Forbidden, denied.Status);
        Assert.Contains("consent.revoked", denied.Body);

        // The patient sees every attempt, released or not; nobody else may look.
        var log = await Send(patient, HttpMethod.Get, $"api/v1/patients/{patientId}/accesses");
        Assert.Equal(HttpStatusCode.OK, log.Status);
        var entries = JsonSerializer.Deserialize<List<AccessEntry>>(log.Body, CareLedgerClient.Json)!;
        Assert.Equal([(true, "TREAT"), (false, "HRESCH"), (false, "TREAT")], entries.Select(e => (e.Permit, e.Purpose)));
        Assert.All(entries, e => Assert.Equal("member:dr-1", e.Accessor));
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(doctor, HttpMethod.Get, $"api/v1/patients/{patientId}/accesses")).Status);

        // The same history as FHIR R4 AuditEvents: released reads succeed (0), refused ones fail (4).
        var audit = await Send(patient, HttpMethod.Get, $"fhir/AuditEvent?patient={patientId}");
        var (bundle, outcome) = CareLedger.Vault.FhirResourceReader.Read(audit.Body);
        Assert.Null(outcome);
        var events = ((Hl7.Fhir.Model.Bundle)bundle!).Entry.Select(e => (Hl7.Fhir.Model.AuditEvent)e.Resource!).ToList();
        Assert.Equal([Hl7.Fhir.Model.AuditEvent.AuditEventOutcome.N0, Hl7.Fhir.Model.AuditEvent.AuditEventOutcome.N4, Hl7.Fhir.Model.AuditEvent.AuditEventOutcome.N4],
            events.Select(e => e.Outcome!.Value));
    }

    [Fact]
    public async Task The_patient_sees_records_and_grants_and_erasure_shreds_the_vault_copy()
    {
        using var care = await CareSetup.CreateAsync(Node.Client, Node.AdminKey, Node.Chain, "member:dr-3", """["read","append"]""");
        var (doctor, patient, patientId) = (care.Clinician, care.Patient, care.PatientId);
        var created = await Send(doctor, HttpMethod.Post, $"fhir/Observation?patient={patientId}&category=laboratory", Observation);
        var fhirId = JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetString()!;

        var records = JsonSerializer.Deserialize<List<RecordEntry>>((await Send(patient, HttpMethod.Get, $"api/v1/patients/{patientId}/records")).Body, CareLedgerClient.Json)!;
        Assert.Equal(("record:" + fhirId, "org:local", "Observation"), (records.Single().Id, records.Single().Custodian, records.Single().ResourceType));
        var grants = (await Send(patient, HttpMethod.Get, $"api/v1/patients/{patientId}/grants")).Body;
        Assert.Contains("member:dr-3", grants);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(doctor, HttpMethod.Get, $"api/v1/patients/{patientId}/grants")).Status);

        // The same grants as FHIR R4 Consent resources, which the Firely parser accepts as valid.
        var consents = await Send(patient, HttpMethod.Get, $"fhir/Consent?patient={patientId}");
        Assert.Equal(HttpStatusCode.OK, consents.Status);
        var (bundle, outcome) = CareLedger.Vault.FhirResourceReader.Read(consents.Body);
        Assert.Null(outcome);
        var consent = Assert.IsType<Hl7.Fhir.Model.Consent>(Assert.Single(((Hl7.Fhir.Model.Bundle)bundle!).Entry).Resource);
        Assert.Equal(Hl7.Fhir.Model.Consent.ConsentState.Active, consent.Status);
        Assert.Equal("member:dr-3", consent.Provision!.Actor.Single().Reference!.Identifier!.Value);
        Assert.Equal(["TREAT"], consent.Provision.Purpose.Select(p => p.Code));

        await CareSetup.CommitAsync(Node.Client, patient, Node.Chain, "records.erase", $$"""{"record":"record:{{fhirId}}"}""");
        var gone = await Send(doctor, HttpMethod.Get, $"fhir/Observation/{fhirId}");
        Assert.Equal(HttpStatusCode.Gone, gone.Status);
        Assert.Contains("records.erased", gone.Body);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(Node.DataDirectory, "vault", "blobs"), "*", SearchOption.AllDirectories));
        var (exit, output, error) = await CliRunner.Run("verify", Node.DataDirectory);
        Assert.True(exit == 0, output + error);
    }

    [Fact]
    public async Task Importing_a_realistic_bundle_leaves_no_identifying_or_clinical_text_in_any_file()
    {
        using var care = await CareSetup.CreateAsync(Node.Client, Node.AdminKey, Node.Chain, "member:dr-4", """["append"]""");
        var (doctor, patient, patientId) = (care.Clinician, care.Patient, care.PatientId);
        var keyFile = Path.Combine(Node.DataDirectory, "doctor.key");
        await File.WriteAllTextAsync(keyFile, doctor.ExportPem());

        var bundle = Path.Combine(AppContext.BaseDirectory, "Data", "synthetic-bundle.json");
        var (exit, output, error) = await CliRunner.Run("import", "fhir", bundle, "--patient", patientId, "--node", Node.Address.ToString(), "--key", keyFile);
        Assert.True(exit == 0, output + error);
        Assert.Equal(5, JsonDocument.Parse(output).RootElement.GetProperty("created").GetInt32());
        File.Delete(keyFile);

        string[] secrets = ["Okonkwo", "Marisol", "1961-07-19", "Juniper Hollow", "Bramblewick", "999-44-1234", "555-0142", "Quillfeather", "metformin"];
        foreach (var file in Directory.EnumerateFiles(Node.DataDirectory, "*", SearchOption.AllDirectories))
        {
            var text = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file));
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"'{secret}' found in {file}");
            }
        }
        Assert.Equal(2, (await Send(patient, HttpMethod.Get, $"api/v1/patients/{patientId}/records")).Body.Split("\"Observation\"").Length - 1);

        // Search: the grant is append-only, so the doctor finds nothing to read; the patient finds both observations.
        var (found, _) = CareLedger.Vault.FhirResourceReader.Read((await Send(doctor, HttpMethod.Get, $"fhir/Observation?patient={patientId}")).Body);
        Assert.Empty(((Hl7.Fhir.Model.Bundle)found!).Entry);
        var (own, _) = CareLedger.Vault.FhirResourceReader.Read((await Send(patient, HttpMethod.Get, $"fhir/Observation?patient={patientId}")).Body);
        Assert.Equal(2, ((Hl7.Fhir.Model.Bundle)own!).Entry.Count);
        var accesses = JsonSerializer.Deserialize<List<AccessEntry>>((await Send(patient, HttpMethod.Get, $"api/v1/patients/{patientId}/accesses")).Body, CareLedgerClient.Json)!;
        Assert.Equal(2, accesses.Count(a => a.Permit && a.Accessor == patientId));
    }

    [Fact]
    public async Task Binary_documents_go_through_the_same_gate_and_come_back_byte_for_byte()
    {
        using var care = await CareSetup.CreateAsync(Node.Client, Node.AdminKey, Node.Chain, "member:dr-5", """["read","append"]""");
        var (doctor, patient, patientId) = (care.Clinician, care.Patient, care.PatientId);
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n% discharge letter for Zephyrine Abernathy-Voss, MRN 88-1123\n%%EOF\n");

        using var upload = new HttpRequestMessage(HttpMethod.Post, $"api/v1/documents?patient={patientId}&category=discharge-letter");
        upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken.Create(doctor, Node.Chain, TimeSpan.FromMinutes(2), DateTimeOffset.UtcNow));
        upload.Content = new ByteArrayContent(pdf);
        upload.Content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        using var created = await Node.Http.SendAsync(upload);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = created.Headers.Location!.ToString().Split('/')[^1];

        using var read = new HttpRequestMessage(HttpMethod.Get, $"api/v1/documents/{id}");
        read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken.Create(doctor, Node.Chain, TimeSpan.FromMinutes(2), DateTimeOffset.UtcNow));
        using var response = await Node.Http.SendAsync(read);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(pdf, await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await Send(doctor, HttpMethod.Get, $"fhir/Binary/{id}")).Status);
        foreach (var file in Directory.EnumerateFiles(Node.DataDirectory, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("Abernathy", Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)));
        }
        // One release, one entry: the refused FHIR-path read never reached the decision.
        var log = JsonSerializer.Deserialize<List<AccessEntry>>((await Send(patient, HttpMethod.Get, $"api/v1/patients/{patientId}/accesses")).Body, CareLedgerClient.Json)!;
        Assert.Equal([("record:" + id, true)], log.Select(e => (e.Record, e.Permit)));
    }

    [Fact]
    public async Task A_version_on_the_ledger_that_the_vault_does_not_hold_is_withheld_and_logged_so_never_logged_as_released()
    {
        using var care = await CareSetup.CreateAsync(Node.Client, Node.AdminKey, Node.Chain, "member:dr-nv", """["read","append"]""");
        // Registered with the clinician's own key, outside the gatekeeper: the ledger lists the record, the vault holds nothing.
        var tx = new TransactionFactory(care.Clinician, Node.Chain).Create("records.register",
            $$"""{"patient":"{{care.PatientId}}","category":"laboratory","resourceType":"Observation","saltedHash":"{{new string('d', 64)}}"}""");
        Assert.Equal("committed", (await Node.Client.SubmitAsync(tx, TimeSpan.FromSeconds(10))).Status);
        var fhirId = tx.Id.ToString()[..32];

        var (status, body, _) = await Send(care.Clinician, HttpMethod.Get, $"fhir/Observation/{fhirId}");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains(RecordErrors.NotInVault, body, StringComparison.Ordinal);
        var log = JsonSerializer.Deserialize<List<AccessEntry>>((await Send(care.Patient, HttpMethod.Get, $"api/v1/patients/{care.PatientId}/accesses")).Body, CareLedgerClient.Json)!;
        var entry = Assert.Single(log, e => e.Record == "record:" + fhirId);
        Assert.Equal((false, "custodian.withheld"), (entry.Permit, entry.Reason));

        // A search names what it could not release instead of dropping it.
        (status, body, _) = await Send(care.Clinician, HttpMethod.Get, $"fhir/Observation?patient={care.PatientId}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("could not be released", body, StringComparison.Ordinal);
        Assert.Contains(fhirId, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_filters_by_code_caps_with_count_releases_and_logs_only_what_it_returns_and_refuses_what_it_does_not_support()
    {
        using var care = await CareSetup.CreateAsync(Node.Client, Node.AdminKey, Node.Chain, "member:dr-search", """["read","append"]""");
        string Lab(string code) => $$$"""{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"{{{code}}}"}]},"valueQuantity":{"value":1,"unit":"1"}}""";
        var path = $"fhir/Observation?patient={care.PatientId}&category=laboratory";
        Assert.Equal(HttpStatusCode.Created, (await Send(care.Clinician, HttpMethod.Post, path, Lab("4548-4"))).Status);
        Assert.Equal(HttpStatusCode.Created, (await Send(care.Clinician, HttpMethod.Post, path, Lab("8480-6"))).Status);
        async Task<int> Accesses() => JsonSerializer.Deserialize<List<AccessEntry>>((await Send(care.Patient, HttpMethod.Get, $"api/v1/patients/{care.PatientId}/accesses")).Body, CareLedgerClient.Json)!.Count;

        var before = await Accesses();
        var (status, body, _) = await Send(care.Clinician, HttpMethod.Get, $"fhir/Observation?patient={care.PatientId}&code=8480-6");
        Assert.Equal(HttpStatusCode.OK, status);
        var bundle = JsonDocument.Parse(body).RootElement;
        Assert.Equal(1, bundle.GetProperty("total").GetInt32());
        Assert.Equal("8480-6", bundle.GetProperty("entry")[0].GetProperty("resource").GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString());
        Assert.Equal(before + 1, await Accesses());

        var matching = JsonDocument.Parse((await Send(care.Clinician, HttpMethod.Get, $"fhir/Observation?patient={care.PatientId}&code=http://loinc.org|4548-4,http://loinc.org|8480-6")).Body).RootElement;
        Assert.Equal(2, matching.GetProperty("total").GetInt32());
        Assert.Equal(0, JsonDocument.Parse((await Send(care.Clinician, HttpMethod.Get, $"fhir/Observation?patient={care.PatientId}&code=http://snomed.info/sct|8480-6")).Body)
            .RootElement.GetProperty("total").GetInt32());

        // A member without a grant learns nothing from a code search, and nothing is decrypted for it or logged.
        var stranger = await CareSetup.AdmitAsync(Node, "org:other-clinic", "Clinic");
        var beforeStranger = await Accesses();
        var foreign = JsonDocument.Parse((await Send(stranger, HttpMethod.Get, $"fhir/Observation?patient={care.PatientId}&code=8480-6")).Body).RootElement;
        Assert.Equal(0, foreign.GetProperty("total").GetInt32());
        Assert.Equal(beforeStranger, await Accesses());
        stranger.Dispose();

        var capped = JsonDocument.Parse((await Send(care.Clinician, HttpMethod.Get, $"fhir/Observation?patient={care.PatientId}&_count=1")).Body).RootElement;
        Assert.Equal((2, 1), (capped.GetProperty("total").GetInt32(), capped.GetProperty("entry").GetArrayLength()));

        foreach (var query in new[] { "date=2026", "_count=0", "_count=many", "code=" })
        {
            (status, body, _) = await Send(care.Clinician, HttpMethod.Get, $"fhir/Observation?patient={care.PatientId}&{query}");
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("fhir.unsupported_parameter", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_capability_statement_is_served_without_a_token_and_parses_as_FHIR_R4()
    {
        using var response = await Node.Http.GetAsync("fhir/metadata");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType!.MediaType);
        var (resource, problems) = CareLedger.Vault.FhirResourceReader.Read(await response.Content.ReadAsStringAsync());
        Assert.Null(problems);
        var statement = Assert.IsType<Hl7.Fhir.Model.CapabilityStatement>(resource);
        Assert.Equal(Hl7.Fhir.Model.FHIRVersion.N4_0_1, statement.FhirVersion);
        var observation = Assert.Single(statement.Rest[0].Resource, r => r.Type == "Observation");
        Assert.Equal(["create", "read", "vread", "search-type"], observation.Interaction.Select(i => Hl7.Fhir.Utility.EnumUtility.GetLiteral(i.Code)));
        Assert.Contains(statement.Rest[0].Resource, r => r.Type == "AuditEvent");
    }

    [Fact]
    public async Task No_clinical_text_reaches_the_ledger_file_or_the_vault_files()
    {
        using var care = await CareSetup.CreateAsync(Node.Client, Node.AdminKey, Node.Chain, "member:dr-2", """["append"]""");
        var (doctor, patient, patientId) = (care.Clinician, care.Patient, care.PatientId);
        Assert.Equal(HttpStatusCode.Created, (await Send(doctor, HttpMethod.Post, $"fhir/Observation?patient={patientId}&category=laboratory", Observation)).Status);

        foreach (var file in Directory.EnumerateFiles(Node.DataDirectory, "*", SearchOption.AllDirectories))
        {
            var text = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file));
            Assert.DoesNotContain("Jane Example", text);
            Assert.DoesNotContain("1970-02-03", text);
            Assert.DoesNotContain("HbA1c", text);
        }
    }
}
