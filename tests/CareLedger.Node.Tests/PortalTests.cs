using System.Net;
using CareLedger.Client;
using CareLedger.Core.Crypto;
using Microsoft.Playwright;

namespace CareLedger.Node.Tests;

/// <summary>
/// The portal in a real browser: Debian's Chromium (<c>/usr/bin/chromium</c>, installed by <c>.ci/run</c>;
/// never a downloaded browser) driven by Playwright against a node on 127.0.0.1. Screenshots of each step
/// go to <c>TestResults/portal/</c>.
/// </summary>
[Collection("network")]
public sealed class PortalTests : NodeTest
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Gtin = "09506000134352";
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "TestResults", "portal");

    // On CI two cores carry the node, Chromium and the rest of the test run at once: a page update that takes well
    // under a second here can take several there. Waiting up to 15 s instead of Playwright's 5 s only slows a failure.
    static PortalTests() => Assertions.SetDefaultExpectTimeout(15_000);

    private async Task<string> KeyFileAsync(SigningKey key, string name)
    {
        var path = Path.Combine(Node.DataDirectory, name + ".key");
        await File.WriteAllTextAsync(path, key.ExportPem());
        return path;
    }

    private Task<IPage> SignInAsync(IBrowser browser, string keyFile, string who) => SignInAsync(browser, Node.Address, keyFile, who);

    private static async Task<IPage> SignInAsync(IBrowser browser, Uri node, string keyFile, string who, string path = "portal")
    {
        var page = await OpenPortalAsync(browser, node, path);
        await SignInOnAsync(page, keyFile, who);
        return page;
    }

    private static async Task SignInOnAsync(IPage page, string keyFile, string who)
    {
        var signIn = page.Locator("[data-testid=sign-in]");
        await ChooseKeyFileAsync(page, keyFile, () => signIn.IsEnabledAsync());
        await signIn.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=signed-in-as]")).ToContainTextAsync(who);
    }

    // Blazor wires the file input up just after it first renders; a file chosen before that is not seen, so choose it
    // again until the portal has read it (<paramref name="read"/> turns true). Choosing again mid-read drops the read in
    // progress, so each choice waits twice as long as the one before (3, 6, 12, then 15 s): under a loaded test run a read
    // can take longer than any fixed wait, and a fixed wait would then drop every read.
    private static async Task ChooseKeyFileAsync(IPage page, string keyFile, Func<Task<bool>> read)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        var patience = 30;
        while (!await read())
        {
            Assert.True(DateTime.UtcNow < deadline, "The portal never read the chosen key file: " + await page.Locator("body").InnerTextAsync());
            await page.SetInputFilesAsync("#key-file", keyFile);
            for (var wait = 0; wait < patience && !await read(); wait++)
            {
                await page.WaitForTimeoutAsync(100);
            }
            patience = Math.Min(patience * 2, 150);
        }
    }

    private static async Task<IPage> OpenPortalAsync(IBrowser browser, Uri node, string path = "portal")
    {
        var page = await (await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } })).NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(new Uri(node, path).ToString());
        try
        {
            await page.Locator("#key-file").WaitForAsync(new() { Timeout = 15000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail("The portal did not start in the browser: " + string.Join("; ", errors));
        }
        return page;
    }

    // The custodial wallet: create a patient account, or sign in to one.
    private static async Task<IPage> WalletAsync(IBrowser browser, Uri node, string user, string password, bool create)
    {
        var page = await OpenPortalAsync(browser, node);
        await page.WaitForTimeoutAsync(500);
        await Field(page, "wallet-user").FillAsync(user);
        await Field(page, "wallet-password").FillAsync(password);
        await page.Locator(create ? "[data-testid=wallet-create]" : "[data-testid=wallet-sign-in]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=signed-in-as]")).ToContainTextAsync("patient:");
        return page;
    }

    // A demo network node once its seeding is done (its demo-keys directory) and Debian's Chromium; removed afterwards.
    private static async Task WithDemoAsync(Func<InProcessNode, string, IBrowser, Task> test)
    {
        Directory.CreateDirectory(Screenshots);
        var demo = await InProcessNode.StartAsync(null, "--demo");
        try
        {
            var keys = Path.Combine(demo.DataDirectory, "demo-keys");
            // Seeding takes a few seconds here and several times that on a loaded CI machine; a test on half a demo
            // would fail somewhere far from the cause, so wait long and say so if it never finishes.
            for (var i = 0; i < 480 && !File.Exists(Path.Combine(keys, "README.txt")); i++)
            {
                await Task.Delay(250);
            }
            Assert.True(File.Exists(Path.Combine(keys, "README.txt")), "The demo network did not finish seeding within 120 s.");
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await LaunchChromiumAsync(playwright);
            await test(demo, keys, browser);
        }
        finally
        {
            await demo.DisposeAsync();
            demo.DeleteData();
        }
    }

    // Debian's Chromium, headless: never a downloaded browser.
    private static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: .ci/run installs Debian's chromium package.");
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    // MudBlazor puts a field's attributes on the input itself or on its wrapper, depending on the component.
    private static ILocator Field(IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], [data-testid={testId}] input, textarea[data-testid={testId}], [data-testid={testId}] textarea").First;

    private static Task Shot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    [Fact]
    public async Task A_patient_grants_a_doctor_sees_the_read_revokes_and_the_doctor_is_refused_and_a_recalled_package_is_refused()
    {
        Directory.CreateDirectory(Screenshots);

        // Set-up through the API: a doctor and a patient who lets the doctor add records; one lab result.
        using var care = await CareSetup.CreateAsync(Node.Client, Node.AdminKey, Node.Chain, "member:dr-portal", """["append"]""");
        var (status, body) = await new CareLedgerClient(Node.Http, care.Clinician, Node.Chain).CreateFhirAsync("Observation", care.PatientId, "laboratory",
            """{"resourceType":"Observation","status":"final","code":{"text":"HbA1c"},"valueQuantity":{"value":6.1,"unit":"%"}}""");
        Assert.Equal(201, status);
        var recordId = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
        // A recalled package on the shelf.
        using var maker = SigningKey.Generate();
        await CareSetup.CommitAsync(Node.Client, Node.AdminKey, Node.Chain, "identity.propose_organisation",
            $$"""{"organisation":"org:acme-pharma","kind":"Manufacturer","governing":false,"publicKeys":["{{Convert.ToBase64String(maker.PublicKey.SubjectPublicKeyInfo)}}"]}""");
        await CareSetup.CommitAsync(Node.Client, maker, Node.Chain, "supply.register_product",
            $$"""{"gtin":"{{Gtin}}","nationalCode":"NDC 1","name":"Metformin","strength":"500 mg","form":"tablet","packSize":60}""");
        await CareSetup.CommitAsync(Node.Client, maker, Node.Chain, "supply.commission",
            $$"""{"gtin":"{{Gtin}}","lot":"R1","expiry":"{{DateTime.UtcNow.AddYears(2):yyMM}}00","serials":["P1"]}""");
        await CareSetup.CommitAsync(Node.Client, maker, Node.Chain, "supply.recall", $$"""{"gtin":"{{Gtin}}","lot":"R1","reason":"contamination"}""");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchChromiumAsync(playwright);

        var patient = await SignInAsync(browser, await KeyFileAsync(care.Patient, "patient"), care.PatientId);
        await patient.Locator($"[data-testid='open-record:{recordId}']").ClickAsync();
        await Assertions.Expect(patient.Locator("[data-testid=my-record]")).ToContainTextAsync("HbA1c");
        await Field(patient, "grantee").FillAsync("member:dr-portal");
        await Field(patient, "scope-categories").FillAsync("laboratory");
        await patient.Locator("[data-testid=grant]").ClickAsync();
        await Assertions.Expect(patient.Locator("[data-testid=grants]")).ToContainTextAsync("laboratory");
        var revoke = patient.Locator("[data-testid='revoke-member:dr-portal-read']");
        await Assertions.Expect(revoke).ToBeVisibleAsync();
        await Shot(patient, "1-patient-granted");

        var doctor = await SignInAsync(browser, await KeyFileAsync(care.Clinician, "doctor"), "member:dr-portal");
        await doctor.GetByRole(AriaRole.Tab, new() { Name = "Clinician" }).ClickAsync();
        await Field(doctor, "record-id").FillAsync(recordId);
        await doctor.Locator("[data-testid=read]").ClickAsync();
        await Assertions.Expect(doctor.Locator("[data-testid=record]")).ToContainTextAsync("HbA1c");
        await Shot(doctor, "2-doctor-reads");

        await patient.Locator("[data-testid=refresh-accesses]").ClickAsync();
        await Assertions.Expect(patient.Locator("[data-testid=accesses]")).ToContainTextAsync("member:dr-portal");
        await Assertions.Expect(patient.Locator("[data-testid=accesses]")).ToContainTextAsync("released");
        await Shot(patient, "3-patient-sees-the-read");

        await revoke.ClickAsync();
        await Assertions.Expect(revoke).ToHaveCountAsync(0);
        await Shot(patient, "4-patient-revoked");

        await doctor.Locator("[data-testid=read]").ClickAsync();
        var refusal = doctor.Locator("[data-testid=error]");
        // The reason is the grant that covered this read and was revoked, not another grant's action.
        await Assertions.Expect(refusal).ToContainTextAsync("consent.revoked");
        await Assertions.Expect(refusal).ToContainTextAsync("has revoked the access");
        await Assertions.Expect(doctor.Locator("[data-testid=record]")).ToHaveCountAsync(0);
        await Shot(doctor, "5-doctor-refused");

        await doctor.GetByRole(AriaRole.Tab, new() { Name = "Pharmacist" }).ClickAsync();
        await Field(doctor, "scan").FillAsync($"(01){Gtin}(21)P1");
        await doctor.Locator("[data-testid=verify]").ClickAsync();
        var verdict = doctor.Locator("[data-testid=verdict-refused]");
        await Assertions.Expect(verdict).ToContainTextAsync("supply.recalled");
        await Assertions.Expect(verdict).ToContainTextAsync("Do not sell or dispense it");
        await Shot(doctor, "6-recalled-package-refused");
    }

    [Fact]
    public async Task In_the_demo_network_a_pharmacist_dispenses_a_verified_package_against_a_prescription_once()
    {
        await WithDemoAsync(async (demo, keys, browser) =>
        {
            var page = await SignInAsync(browser, demo.Address, Path.Combine(keys, "member-pharmacist-cy.key"), "member:pharmacist-cy");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Pharmacist" }).ClickAsync();

            await Field(page, "scan").FillAsync($"(01){Gtin}(21)A0010");
            await page.Locator("[data-testid=verify]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=verdict]")).ToContainTextAsync("verified");
            await Field(page, "prescription").FillAsync("rx:demo-06");
            await page.Locator("[data-testid=dispense]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=dispensed]")).ToContainTextAsync("rx:demo-06");
            await Shot(page, "7-pharmacist-dispensed");

            await page.Locator("[data-testid=verify]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=verdict-refused]")).ToContainTextAsync("supply.already_dispensed");
            await Assertions.Expect(page.Locator("[data-testid=dispense]")).ToBeDisabledAsync();
        });
    }

    [Fact]
    public async Task In_the_demo_network_a_patient_enrols_an_insurer_decides_a_pended_line_and_an_auditor_verifies_the_chain()
    {
        await WithDemoAsync(async (demo, keys, browser) =>
        {
            // A patient among the insured twenty with an open trial invitation.
            string? invitee = null;
            for (var i = 1; i <= 30 && invitee is null; i++)
            {
                var file = Path.Combine(keys, "patients", $"patient-{i:00}.key");
                using var key = SigningKey.FromPem(await File.ReadAllTextAsync(file));
                var (_, inbox) = await demo.GetAsAsync(key, "api/v1/research/invitations");
                if (inbox.EnumerateArray().Any(x => x.GetProperty("status").GetString() == "open") && i <= 20)
                {
                    invitee = file;
                }
            }
            Assert.NotNull(invitee);

            var patient = await SignInAsync(browser, demo.Address, invitee, "patient:");
            await Assertions.Expect(patient.Locator("[data-testid^=policy-policy]")).ToContainTextAsync("plan:acme-gold");
            await patient.Locator("[data-testid=accept-trial\\:glp1-2027]").ClickAsync();
            await Assertions.Expect(patient.Locator("[data-testid=enrolled]")).ToContainTextAsync("subject:");
            await Shot(patient, "8-patient-enrols-in-a-trial");

            var insurer = await SignInAsync(browser, demo.Address, Path.Combine(keys, "org-acme-health.key"), "org:acme-health");
            await insurer.GetByRole(AriaRole.Tab, new() { Name = "Insurer" }).ClickAsync();
            await Assertions.Expect(insurer.Locator("[data-testid=claims-queue]")).ToContainTextAsync("claim:demo-01");
            await Shot(insurer, "9-insurer-claims-queue");
            await insurer.Locator("[data-testid=approve-claim\\:demo-01-2]").ClickAsync();
            await Assertions.Expect(insurer.Locator("[data-testid=decided]")).ToContainTextAsync("approved and paid");
            await Assertions.Expect(insurer.Locator("[data-testid=queue-empty]")).ToBeVisibleAsync();
            await Assertions.Expect(insurer.Locator("[data-testid=payments]")).ToContainTextAsync("claim:demo-02 line 1");

            var auditor = await SignInAsync(browser, demo.Address, Path.Combine(keys, "org-medicines-agency.key"), "org:medicines-agency");
            await auditor.GetByRole(AriaRole.Tab, new() { Name = "Auditor" }).ClickAsync();
            await Assertions.Expect(auditor.Locator("[data-testid=recalls]")).ToContainTextAsync("LOT-B");
            await Assertions.Expect(auditor.Locator("[data-testid=dispensing-chart] svg").First).ToBeVisibleAsync();
            await auditor.Locator("[data-testid=verify-chain]").ClickAsync();
            await Assertions.Expect(auditor.Locator("[data-testid=chain-verdict]")).ToContainTextAsync("verified", new() { Timeout = 60_000 });
            await Shot(auditor, "10-auditor-verifies-the-chain");
            using (var regulatorKey = SigningKey.FromPem(await File.ReadAllTextAsync(Path.Combine(keys, "org-medicines-agency.key"))))
            {
                var (_, block) = await demo.GetAsAsync(regulatorKey, "api/v1/blocks/5");
                await Field(auditor, "receipt-input").FillAsync(block.GetProperty("transactions")[0].GetString()!);
                await auditor.Locator("[data-testid=verify-receipt]").ClickAsync();
                await Assertions.Expect(auditor.Locator("[data-testid=receipt-verdict]")).ToContainTextAsync("valid: transaction");
                await Field(auditor, "receipt-input").FillAsync("{\"transactionId\":\"00\"}");
                await auditor.Locator("[data-testid=verify-receipt]").ClickAsync();
                await Assertions.Expect(auditor.Locator("[data-testid=receipt-verdict]")).ToContainTextAsync("invalid");
            }

            await auditor.GetByRole(AriaRole.Tab, new() { Name = "Supply chain" }).ClickAsync();
            await Field(auditor, "trace-code").FillAsync($"(01){Gtin}(21)A0001");
            await auditor.Locator("[data-testid=trace]").ClickAsync();
            await Assertions.Expect(auditor.Locator("[data-testid=journey]")).ToContainTextAsync("dispensing");
            await Shot(auditor, "11-a-packages-journey");
        });
    }
    [Fact]
    public async Task A_wallet_patient_answers_a_clinicians_request_from_a_QR_code_and_sees_the_emergency_access()
    {
        Directory.CreateDirectory(Screenshots);
        using var clinician = SigningKey.Generate();
        await CareSetup.CommitAsync(Node.Client, Node.AdminKey, Node.Chain, "identity.enrol_member",
            $$"""{"member":"member:dr-er","roles":["clinician","emergency"],"publicKey":"{{Convert.ToBase64String(clinician.PublicKey.SubjectPublicKeyInfo)}}"}""");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchChromiumAsync(playwright);

        // A new patient with no key file: the wallet makes the key, registers it and keeps it encrypted under the password.
        var refused = await OpenPortalAsync(browser, Node.Address);
        await refused.WaitForTimeoutAsync(500);
        await Field(refused, "wallet-user").FillAsync("jo.example");
        await Field(refused, "wallet-password").FillAsync("short");
        await refused.Locator("[data-testid=wallet-create]").ClickAsync();
        await Assertions.Expect(refused.Locator("[data-testid=wallet-error]")).ToContainTextAsync("wallet.weak_password");
        var patient = await WalletAsync(browser, Node.Address, "jo.example", "correct horse battery staple", create: true);
        var patientId = await patient.Locator("[data-testid=my-pseudonym]").InnerTextAsync();
        await Assertions.Expect(patient.Locator("[data-testid=my-qr]")).ToBeVisibleAsync();
        await Shot(patient, "12-wallet-patient-with-qr");
        Assert.DoesNotContain("jo.example", string.Concat(Directory.GetFiles(Path.Combine(Node.DataDirectory, "wallet")).Select(Path.GetFileName)), StringComparison.Ordinal);
        Assert.All(Directory.GetFiles(Path.Combine(Node.DataDirectory, "wallet"), "*.key"),
            f => Assert.Contains("ENCRYPTED PRIVATE KEY", File.ReadAllText(f), StringComparison.Ordinal));

        // The clinician opens the QR code's link: the clinician view starts on that patient; no record yet, so they ask for access.
        var doctor = await SignInAsync(browser, Node.Address, await KeyFileAsync(clinician, "dr-er"), "member:dr-er", $"portal?patient={patientId}");
        await Assertions.Expect(Field(doctor, "patient-id")).ToHaveValueAsync(patientId);
        await doctor.GetByText("Ask for access, or break the glass").ClickAsync();
        await doctor.Locator("[data-testid=ask-access]").ClickAsync();
        await Assertions.Expect(doctor.Locator("[data-testid=clinician-done]")).ToContainTextAsync("has been asked");

        // The patient signs in to the wallet again and grants the request.
        var again = await WalletAsync(browser, Node.Address, "JO.example", "correct horse battery staple", create: false);
        await again.Locator("[data-testid='grant-request-member:dr-er']").ClickAsync();
        await Assertions.Expect(again.Locator("[data-testid=access-requests]")).ToContainTextAsync("granted");
        await Assertions.Expect(again.Locator("[data-testid=grants]")).ToContainTextAsync("member:dr-er");
        await Shot(again, "13-patient-granted-the-request");

        // Adding a result needs append, which the request did not ask for: refused with a clear message. Break-glass opens emergency access.
        await doctor.GetByText("Add a result or a note").ClickAsync();
        await Field(doctor, "result-code").FillAsync("4548-4");
        await Field(doctor, "result-value").FillAsync("7.9");
        await doctor.Locator("[data-testid=add-result]").ClickAsync();
        await Assertions.Expect(doctor.Locator("[data-testid=error]")).ToContainTextAsync("consent.action_not_granted");
        await Field(doctor, "emergency-note").FillAsync("Found unresponsive in the waiting room");
        await doctor.Locator("[data-testid=break-glass]").ClickAsync();
        await Assertions.Expect(doctor.Locator("[data-testid=clinician-done]")).ToContainTextAsync("Emergency access is open");
        await Shot(doctor, "14-clinician-broke-the-glass");

        // The hospital's privacy officer finds it in the review queue and ends it as unjustified.
        using var officerKey = SigningKey.Generate();
        await CareSetup.CommitAsync(Node.Client, Node.AdminKey, Node.Chain, "identity.enrol_member",
            $$"""{"member":"member:po-portal","roles":["privacy-officer"],"publicKey":"{{Convert.ToBase64String(officerKey.PublicKey.SubjectPublicKeyInfo)}}"}""");
        var officer = await SignInAsync(browser, Node.Address, await KeyFileAsync(officerKey, "po-portal"), "member:po-portal");
        await officer.GetByRole(AriaRole.Tab, new() { Name = "Privacy officer" }).ClickAsync();
        await Assertions.Expect(officer.Locator("[data-testid=review-queue]")).ToContainTextAsync("member:dr-er");
        await officer.Locator("[data-testid^=unjustified-]").First.ClickAsync();
        await Assertions.Expect(officer.Locator("[data-testid=review-queue-empty]")).ToBeVisibleAsync();
        await Shot(officer, "15-privacy-officer-ended-the-access");
        Assert.NotNull(Records.EmergencyReviews.FlagOf(Node.Ledger.Engine.State, "member:dr-er"));

        await again.ReloadAsync();
        var reopened = await WalletAsync(browser, Node.Address, "jo.example", "correct horse battery staple", create: false);
        await Assertions.Expect(reopened.Locator("[data-testid=emergencies]")).ToContainTextAsync("member:dr-er");
        Assert.Equal(HttpStatusCode.OK, (await Node.Http.GetAsync("health")).StatusCode);
        var wrong = await OpenPortalAsync(browser, Node.Address);
        await wrong.WaitForTimeoutAsync(500);
        await Field(wrong, "wallet-user").FillAsync("jo.example");
        await Field(wrong, "wallet-password").FillAsync("correct horse battery stapler");
        await wrong.Locator("[data-testid=wallet-sign-in]").ClickAsync();
        await Assertions.Expect(wrong.Locator("[data-testid=wallet-error]")).ToContainTextAsync("wallet.wrong_credentials");
    }
    [Fact]
    public async Task A_doctor_prescribes_and_the_pharmacist_of_the_same_node_dispenses_with_the_FHIR_records_kept()
    {
        Directory.CreateDirectory(Screenshots);
        using var setup = await PharmacySetup.CreateAsync(Node);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchChromiumAsync(playwright);

        var doctor = await SignInAsync(browser, Node.Address, await KeyFileAsync(setup.Doctor, "dr-rx"), "member:dr-rx", $"portal?patient={setup.PatientId}");
        await doctor.GetByText("Prescribe", new() { Exact = true }).First.ClickAsync();
        await Field(doctor, "rx-id").FillAsync("rx:portal-1");
        await Field(doctor, "rx-gtin").FillAsync(PharmacySetup.Gtin);
        await Field(doctor, "rx-dosage").FillAsync("One tablet twice daily with meals");
        await doctor.Locator("[data-testid=prescribe]").ClickAsync();
        await Assertions.Expect(doctor.Locator("[data-testid=clinician-done]")).ToContainTextAsync("Prescribed rx:portal-1");
        await Shot(doctor, "15-doctor-prescribes");

        var pharmacist = await SignInAsync(browser, Node.Address, await KeyFileAsync(setup.Pharmacist, "ph-rx"), "member:ph-rx");
        await pharmacist.GetByRole(AriaRole.Tab, new() { Name = "Pharmacist" }).ClickAsync();
        await Field(pharmacist, "scan").FillAsync($"(01){PharmacySetup.Gtin}(21)S1");
        await pharmacist.Locator("[data-testid=verify]").ClickAsync();
        await Assertions.Expect(pharmacist.Locator("[data-testid=verdict]")).ToContainTextAsync("verified");
        await Field(pharmacist, "prescription").FillAsync("rx:portal-1");
        await pharmacist.Locator("[data-testid=dispense]").ClickAsync();
        await Assertions.Expect(pharmacist.Locator("[data-testid=dispensed]")).ToContainTextAsync("rx:portal-1");

        var (_, rx) = await Node.GetAsAsync(setup.Patient, "api/v1/prescriptions/rx:portal-1");
        Assert.StartsWith("record:", rx.GetProperty("record").GetString());
        Assert.StartsWith("record:", rx.GetProperty("fills")[0].GetProperty("record").GetString());
    }
    [Fact]
    public async Task A_manufacturer_commissions_and_ships_in_the_portal_and_the_receiver_receives_part_of_the_shipment()
    {
        Directory.CreateDirectory(Screenshots);
        using var maker = await CareSetup.AdmitAsync(Node, "org:acme-pharma", "Manufacturer");
        await CareSetup.CommitAsync(Node.Client, maker, Node.Chain, "supply.register_product",
            $$"""{"gtin":"{{Gtin}}","nationalCode":"NDC 1","name":"Metformin","strength":"500 mg","form":"tablet","packSize":60}""");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchChromiumAsync(playwright);

        var factory = await SignInAsync(browser, Node.Address, await KeyFileAsync(maker, "maker"), "org:acme-pharma");
        await factory.GetByRole(AriaRole.Tab, new() { Name = "Supply chain" }).ClickAsync();
        await factory.GetByText("Commission packages (manufacturer)").ClickAsync();
        await Field(factory, "commission-gtin").FillAsync(Gtin);
        await Field(factory, "commission-lot").FillAsync("L9");
        await Field(factory, "commission-expiry").FillAsync($"{DateTime.UtcNow.AddYears(2):yyMM}00");
        await Field(factory, "commission-prefix").FillAsync("Q");
        await Field(factory, "commission-count").FillAsync("3");
        await factory.Locator("[data-testid=commission]").ClickAsync();
        await Assertions.Expect(factory.Locator("[data-testid=supply-done]")).ToContainTextAsync("Commissioned 3");
        await factory.GetByText("Ship (owner)").ClickAsync();
        await Field(factory, "ship-units").FillAsync($"{Gtin}/Q00001, {Gtin}/Q00002");
        await Field(factory, "ship-to").FillAsync("org:local");
        await Field(factory, "ship-ti").FillAsync("INV-2027-9");
        await Field(factory, "ship-ts").FillAsync("TS-2027-9");
        await factory.Locator("[data-testid=ship]").ClickAsync();
        var done = factory.Locator("[data-testid=supply-done]");
        await Assertions.Expect(done).ToContainTextAsync("Shipped to org:local");
        var shipment = System.Text.RegularExpressions.Regex.Match(await done.InnerTextAsync(), "[0-9a-f]{64}").Value;

        var receiver = await SignInAsync(browser, Node.Address, await KeyFileAsync(Node.AdminKey, "local"), "org:local");
        await receiver.GetByRole(AriaRole.Tab, new() { Name = "Supply chain" }).ClickAsync();
        await receiver.GetByText("Receive (receiver)").ClickAsync();
        await Field(receiver, "receive-shipment").FillAsync(shipment);
        await Field(receiver, "receive-units").FillAsync($"{Gtin}/Q00001");
        await receiver.Locator("[data-testid=receive]").ClickAsync();
        await Assertions.Expect(receiver.Locator("[data-testid=supply-done]")).ToContainTextAsync("Received");
        await Field(receiver, "trace-code").FillAsync($"(01){Gtin}(21)Q00001");
        await receiver.Locator("[data-testid=trace]").ClickAsync();
        await Assertions.Expect(receiver.Locator("[data-testid=journey]")).ToContainTextAsync("receiving");
        await Assertions.Expect(receiver.Locator("[data-testid=unit-status]")).ToContainTextAsync("org:local");
        await Shot(receiver, "16-received-package-journey");

        // Shipping what this organisation does not own is refused with its code.
        await receiver.GetByText("Ship (owner)").ClickAsync();
        await Field(receiver, "ship-units").FillAsync($"{Gtin}/Q00003");
        await Field(receiver, "ship-to").FillAsync("org:acme-pharma");
        await Field(receiver, "ship-ti").FillAsync("INV-X");
        await Field(receiver, "ship-ts").FillAsync("TS-X");
        await receiver.Locator("[data-testid=ship]").ClickAsync();
        await Assertions.Expect(receiver.Locator("[data-testid=supply-error]")).ToContainTextAsync("supply.");
    }

    [Fact]
    public async Task A_key_file_too_large_is_refused_on_the_page_and_the_next_file_chosen_signs_in()
    {
        var tooLarge = Path.Combine(Node.DataDirectory, "too-large.key");
        await File.WriteAllTextAsync(tooLarge, new string('A', 20 * 1024));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchChromiumAsync(playwright);
        var page = await OpenPortalAsync(browser, Node.Address);

        var refusal = page.Locator("[data-testid=sign-in-error]");
        await ChooseKeyFileAsync(page, tooLarge, async () => await refusal.CountAsync() > 0);
        await Assertions.Expect(refusal).ToContainTextAsync("auth.key_file_too_large");
        await Assertions.Expect(refusal).ToContainTextAsync("at most 16 KiB");
        await Assertions.Expect(page.Locator("[data-testid=sign-in]")).ToBeDisabledAsync();

        // The page is still alive, also after files chosen faster than it reads them: the last one chosen signs in.
        var keyFile = await KeyFileAsync(Node.AdminKey, "local");
        for (var i = 0; i < 8; i++)
        {
            await page.SetInputFilesAsync("#key-file", i % 2 == 0 ? tooLarge : keyFile);
        }
        await page.EvalOnSelectorAsync("#key-file", "e => { for (let i = 0; i < 8; i++) e.dispatchEvent(new Event('change')); }");
        await SignInOnAsync(page, keyFile, "org:local");
    }
}
