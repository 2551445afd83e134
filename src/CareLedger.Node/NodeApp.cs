using System.Text.Json;
using CareLedger.Node.Api;
using CareLedger.Client;
using CareLedger.Core.Crypto;
using CareLedger.Node.Auth;
using CareLedger.Node.Operations;
using CareLedger.Node.Records;
using CareLedger.Node.Research;
using CareLedger.Vault;
using CareLedger.Storage;
using MudBlazor.Services;
using Scalar.AspNetCore;

namespace CareLedger.Node;

/// <summary>Builds and runs the node's web host: REST API under /api/v1, OpenAPI at /openapi/v1.json, reference at /scalar.</summary>
public static class NodeApp
{
    /// <summary>Runs a node until shutdown. Returns the process exit code (2 when the store does not verify).</summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        if (NodeOptions.UnknownSwitch(args) is { } unknown)
        {
            return await RefuseToStart($"unknown switch {unknown}; the node takes {string.Join(", ", NodeOptions.Switches.Keys.Order(StringComparer.Ordinal))}, " +
                "--urls, and configuration keys such as --Logging:LogLevel:Default (see 'careledger node run --help').");
        }
        WebApplication app;
        try
        {
            app = Build(args);
        }
        catch (StoreCorruptedException ex)
        {
            return await RefuseToStart($"refusing to start: {ex.Message}");
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException or IOException or UnauthorizedAccessException)
        {
            return await RefuseToStart($"cannot start: {ex.Message}");
        }
        await using (app)
        {
            var node = app.Services.GetRequiredService<LedgerNode>();
            Log.Started(app.Logger, node.Engine.Chain, node.Engine.Head.Header.Height, node.Data.Root);
            if (node.Recovery.EvidenceDirectory is { } evidence)
            {
                Log.Rebuilding(app.Logger, evidence);
            }
            // Read before running: RunAsync disposes the host, and with it the lifetime's services.
            var stopping = app.Lifetime.ApplicationStopping;
            try
            {
                await app.RunAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Stopped while starting: a consortium node that found itself diverged while replaying its log stops for a
                // rebuild (exit 75) before Kestrel has bound.
                return Environment.ExitCode;
            }
            catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                // Another process (often another node) listens there already: a refusal to start, not a crash.
                return await RefuseToStart($"cannot start: {ex.Message} Choose another address with --urls.");
            }
        }
        return Environment.ExitCode;
    }

    // One line on standard error and exit code 2: the node did not start.
    private static async Task<int> RefuseToStart(string reason)
    {
        await Console.Error.WriteLineAsync($"careledger: {reason}");
        return 2;
    }

    /// <summary>Builds the host. Throws <see cref="StoreCorruptedException"/> when the stored head does not verify.</summary>
    public static WebApplication Build(string[] args)
    {
        // '--demo' is a flag; configuration switches take a value.
        args = [.. args.SelectMany((a, i) => a == "--demo" && (i + 1 == args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal)) ? ["--demo", "true"] : new[] { a })];
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // The content root is the install folder, not the working directory: the configuration
            // file watcher must not watch the data directory, where SQLite writes all the time.
            ContentRootPath = AppContext.BaseDirectory,
            // The portal's static assets (MudBlazor, Blazor's script) are found by this assembly's name,
            // also when the CLI hosts the node.
            ApplicationName = typeof(NodeApp).Assembly.GetName().Name,
        });
        // Per-request and Raft-internal chatter is not worth its cost under load; the node's own events stay.
        // These are defaults: --Logging:LogLevel:<category> on the command line overrides them.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:DotNext"] = "Warning",
            },
        });
        builder.Configuration.AddCommandLine(args, NodeOptions.Switches);
        var options = NodeOptions.From(builder.Configuration);
        builder.WebHost.UseKestrel(k => k.Limits.MaxRequestBodySize = 64 * 1024 * 1024);
        // From a build (not a publish) the portal's assets live in the NuGet cache and the SDK: the runtime
        // manifest next to the binaries maps them, in every environment (a published node has no manifest).
        builder.WebHost.UseStaticWebAssets();
        var urls = options.Consensus == "raft" && builder.Configuration["urls"] is null ? Consortium.ApiUrl(options) ?? options.Urls : options.Urls;
        builder.WebHost.UseUrls(urls);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
            ctx.ProblemDetails.Extensions.TryAdd("code", ctx.ProblemDetails.Status switch
            {
                StatusCodes.Status404NotFound => "not_found",
                StatusCodes.Status405MethodNotAllowed => "request.method_not_allowed",
                StatusCodes.Status413PayloadTooLarge => "request.too_large",
                StatusCodes.Status415UnsupportedMediaType => "request.unsupported_media_type",
                >= 500 => "node.internal_error",
                _ => "request.malformed",
            }));
        builder.Services.AddOpenApi(OpenApiSecurity.Describe);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => LedgerNode.Open(options, sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp =>
        {
            var node = sp.GetRequiredService<LedgerNode>();
            return new AccessTokenValidator(node.Engine.Chain, node.Engine.State, sp.GetRequiredService<TimeProvider>());
        });
        builder.Services.AddSingleton<SecurityEvents>();
        builder.Services.AddSingleton(sp =>
        {
            var node = sp.GetRequiredService<LedgerNode>();
            var file = options.WitnessesFile ?? Path.Combine(node.Data.Root, "witnesses");
            var witnesses = options.WitnessesFile is not null || File.Exists(file) ? Witnessing.WitnessedCheckpoints.ReadWitnessFile(file) : [];
            return new Witnessing.WitnessedCheckpoints(node, witnesses);
        });
        // No default scheme: only endpoints under a policy authenticate, so the portal and static files pay nothing.
        builder.Services.AddAuthentication()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, LedgerKeyAuthenticationHandler>(CallerClaims.Scheme, null);
        builder.Services.AddAuthorization(Policies.Add);
        // The node's organisation signs what the node does for its staff: access entries, EPCIS captures, screening counts, downloads.
        builder.Services.AddSingleton(sp =>
        {
            var node = sp.GetRequiredService<LedgerNode>();
            return new OrganisationSigner(node, new TransactionFactory(SigningKey.FromPem(File.ReadAllText(node.Data.AdminKeyPath)), node.Engine.Chain));
        });
        builder.Services.AddSingleton(sp =>
        {
            var node = sp.GetRequiredService<LedgerNode>();
            return new DocumentVault(Path.Combine(node.Data.Root, "vault"), LocalKeyEncryptionKey.OpenOrCreate(Path.Combine(node.Data.Root, "keys", "kek.key")));
        });
        builder.Services.AddSingleton(sp =>
        {
            var node = sp.GetRequiredService<LedgerNode>();
            var gate = new Gatekeeper(node, sp.GetRequiredService<DocumentVault>(),
                new RecordIndex(Path.Combine(node.Data.Root, "vault", "index")), sp.GetRequiredService<OrganisationSigner>(),
                sp.GetRequiredService<TimeProvider>(), FailPoints.Crash(options.FailPoint, "after-access-log"));
            node.Committed += gate.ShredErased;
            return gate;
        });
        builder.Services.AddSingleton(sp =>
        {
            var node = sp.GetRequiredService<LedgerNode>();
            return new ResearchDesk(node, sp.GetRequiredService<Gatekeeper>(), sp.GetRequiredService<OrganisationSigner>(), sp.GetRequiredService<Statistics.StickyNoise>(),
                new ResearchInbox(sp.GetRequiredService<DocumentVault>(), Path.Combine(node.Data.Root, "vault", "research")), sp.GetRequiredService<TimeProvider>());
        });
        builder.Services.AddSingleton(sp =>
        {
            var node = sp.GetRequiredService<LedgerNode>();
            return new TrialDocumentStore(node, sp.GetRequiredService<DocumentVault>(), new RecordIndex(Path.Combine(node.Data.Root, "vault", "trial-index")),
                sp.GetRequiredService<OrganisationSigner>());
        });
        builder.Services.AddSingleton(sp =>
        {
            var node = sp.GetRequiredService<LedgerNode>();
            return new GenomicsDesk(node, sp.GetRequiredService<DocumentVault>(), new RecordIndex(Path.Combine(node.Data.Root, "vault", "genomics-index")),
                sp.GetRequiredService<OrganisationSigner>(), sp.GetRequiredService<Statistics.StickyNoise>());
        });
        builder.Services.AddSingleton(new Statistics.DiscreteLaplace());
        builder.Services.AddSingleton(sp => Statistics.StickyNoise.OpenOrCreate(Path.Combine(sp.GetRequiredService<LedgerNode>().Data.Root, "keys", "noise.key")));
        builder.Services.AddSingleton(sp => new Prescriptions.PrescriptionDesk(sp.GetRequiredService<LedgerNode>(), sp.GetRequiredService<Gatekeeper>(),
            sp.GetRequiredService<TimeProvider>()));
        if (options.Consensus == "raft")
        {
            builder.Services.AddSingleton(sp =>
            {
                var node = sp.GetRequiredService<LedgerNode>();
                return new CustodianProxy(node, Consortium.OrganisationApis(node.Data, options, node.Engine.Genesis, node.Engine.State),
                    Consortium.OrganisationNodes(node.Data, options, node.Engine.Genesis, node.Engine.State));
            });
        }
        builder.Services.AddHostedService<LedgerNodeService>();
        if (options.Demo)
        {
            builder.Services.AddHostedService<Demo.DemoNetwork>();
        }
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddScoped<Portal.PortalSession>();
        builder.Services.AddSingleton(sp => new Portal.CustodialWallet(Path.Combine(sp.GetRequiredService<LedgerNode>().Data.Root, "wallet"),
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddScoped<Portal.PortalLedger>();
        builder.AddNodeTelemetry();

        var app = builder.Build();
        // Open the ledger now, so that a store that does not verify stops start-up before Kestrel listens;
        // the gatekeeper too, so that it shreds erased records from the first block on.
        app.Services.GetRequiredService<LedgerNode>();
        app.Services.GetRequiredService<Gatekeeper>();
        app.Services.GetRequiredService<Witnessing.WitnessedCheckpoints>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        // A build has the portal's static web assets manifest; an installed tool does not, and serves everything but the portal.
        var manifest = Path.Combine(AppContext.BaseDirectory, $"{app.Environment.ApplicationName}.staticwebassets.endpoints.json");
        if (File.Exists(manifest))
        {
            app.MapStaticAssets();
            app.MapRazorComponents<Portal.App>().AddInteractiveServerRenderMode();
            app.MapGet("/", () => Results.Redirect("/portal")).ExcludeFromDescription();
        }
        else
        {
            Log.PortalAssetsMissing(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CareLedger.Node"), manifest);
            app.MapGet("/", () => Results.Redirect("/scalar")).ExcludeFromDescription();
        }
        app.MapOpenApi();
        app.MapScalarApiReference();
        app.MapNodeTelemetry();

        var open = app.MapGroup("/api/v1").WithTags("Public");
        ChainEndpoints.MapPublic(app, open);
        TransactionEndpoints.MapSubmissions(open);
        ConsensusEndpoints.Map(open.MapGroup("").WithTags("Consensus"));
        CredentialEndpoints.MapKeys(open.MapGroup("").WithTags("Credentials"));
        var authenticated = app.MapGroup("/api/v1").WithTags("Ledger").RequireAuthorization(Policies.LedgerKey)
            .AddEndpointFilter(ConsensusEndpoints.LinearizableReads);
        TransactionEndpoints.MapReads(authenticated);
        ChainEndpoints.MapReads(authenticated);
        FhirCapabilities.Map(app);
        FhirEndpoints.Map(app.MapGroup("/fhir").WithTags("FHIR").RequireAuthorization(Policies.LedgerKey));
        DocumentEndpoints.Map(authenticated);
        PatientEndpoints.Map(authenticated);
        SupplyEndpoints.Map(authenticated.MapGroup("").WithTags("Supply chain"));
        EpcisEndpoints.Map(authenticated.MapGroup("").WithTags("Supply chain"));
        PrescriptionEndpoints.Map(authenticated.MapGroup("").WithTags("Prescriptions"));
        CredentialEndpoints.Map(authenticated.MapGroup("").WithTags("Credentials"));
        InsuranceEndpoints.Map(authenticated.MapGroup("").WithTags("Insurance"));
        TrialEndpoints.Map(authenticated.MapGroup("").WithTags("Clinical trials"));
        GenomicsEndpoints.Map(authenticated.MapGroup("").WithTags("Genomics"));
        StatisticsEndpoints.Map(authenticated.MapGroup("").WithTags("Statistics"));
        SecurityEndpoints.Map(authenticated.MapGroup("").WithTags("Security"));
        OperationsEndpoints.Map(authenticated.MapGroup("").WithTags("Operations"));
        EmergencyEndpoints.Map(authenticated.MapGroup("").WithTags("Consent"));
        return app;
    }
}
