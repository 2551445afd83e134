using CareLedger.Ledger;
using CareLedger.Vault;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CareLedger.Node.Operations;

/// <summary>
/// What the node tells an operations team: OpenTelemetry metrics of each CareLedger assembly, ASP.NET Core's HTTP server and
/// Kestrel metrics and the .NET runtime's, scraped by Prometheus at <c>/metrics</c>; with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set they
/// are also pushed over OTLP, configured by the standard <c>OTEL_*</c> variables, together with traces (<see cref="NodeTracing"/>). Health on ASP.NET Core's health checks:
/// <c>/health/live</c> (the process answers) and <c>/health/ready</c> (<see cref="ReadinessChecks"/>).
/// </summary>
public static class Telemetry
{
    /// <summary>The meters exported: the ledger's, the node's (with its security refusals), the vault's, and ASP.NET Core's.</summary>
    public static readonly string[] Meters =
    [
        LedgerMetrics.MeterName, NodeMetrics.MeterName, Auth.SecurityEvents.MeterName, VaultMetrics.MeterName,
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Diagnostics",
    ];

    public static void AddNodeTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") ?? "careledger-node"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters).AddRuntimeInstrumentation().AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        // Traces only go somewhere over OTLP; without an endpoint nothing listens and no span is created.
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddSource(NodeTracing.SourceName).AddAspNetCoreInstrumentation().AddOtlpExporter());
        }
        builder.Services.AddSingleton<NodeGauges>();
        builder.Services.AddHealthChecks()
            .AddCheck<ReadinessChecks.Store>("store", tags: [ReadinessChecks.Ready])
            .AddCheck<ReadinessChecks.Disk>("disk", tags: [ReadinessChecks.Ready])
            .AddCheck<ReadinessChecks.VaultCheck>("vault", tags: [ReadinessChecks.Ready])
            .AddCheck<ReadinessChecks.Consensus>("consensus", tags: [ReadinessChecks.Ready]);
    }

    public static void MapNodeTelemetry(this WebApplication app)
    {
        app.Services.GetRequiredService<NodeGauges>();
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapHealthChecks("/health/live", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(ReadinessChecks.Ready),
            ResponseWriter = ReadinessChecks.WriteAsync,
        });
    }
}
