using System.Text.Json;
using CareLedger.Vault;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CareLedger.Node.Operations;

/// <summary>
/// What <c>/health/ready</c> checks before a load balancer sends the node work: the store answers, the data directory's disk has
/// room, the vault decrypts, and in a consortium the node has a leader (a majority) and has applied what was committed.
/// The answer is JSON with each check's status and reason; never a patient, record or key.
/// </summary>
public static class ReadinessChecks
{
    public const string Ready = "ready";

    /// <summary>Below this much free space on the data directory's file system the node reports itself unhealthy (1 GiB).</summary>
    public const long MinimumFreeBytes = 1L << 30;

    /// <summary>More committed-but-unapplied Raft entries than this is degraded: the node lags behind the leader.</summary>
    public const long MaximumApplyLag = 1_000;

    public sealed class Store(LedgerNode node) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var head = node.Store.GetHead();
                return Task.FromResult(head is null
                    ? HealthCheckResult.Unhealthy("The store has no head block.")
                    : HealthCheckResult.Healthy($"Height {head.Header.Height}."));
            }
            catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy($"The store does not answer: {ex.Message}"));
            }
        }
    }

    public sealed class Disk(LedgerNode node) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var free = new DriveInfo(Path.GetFullPath(node.Data.Root)).AvailableFreeSpace;
            return Task.FromResult(free < MinimumFreeBytes
                ? HealthCheckResult.Unhealthy($"{free / (1 << 20)} MiB free on the data directory's disk; at least {MinimumFreeBytes >> 20} MiB needed.")
                : HealthCheckResult.Healthy($"{free / (1 << 20)} MiB free."));
        }
    }

    /// <summary>Stores and decrypts a probe document, then shreds it: the key-encryption key and the vault directory work.</summary>
    public sealed class VaultCheck(DocumentVault vault) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var probe = "careledger readiness probe"u8.ToArray();
                var stored = vault.Put(probe, "text/plain");
                var ok = vault.Get(stored.Address).AsSpan().SequenceEqual(probe);
                vault.Erase(stored.Address);
                return Task.FromResult(ok ? HealthCheckResult.Healthy("The vault encrypts and decrypts.") : HealthCheckResult.Unhealthy("The vault returned other bytes."));
            }
            catch (Exception ex) when (ex is VaultException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy($"The vault does not work: {ex.Message}"));
            }
        }
    }

    public sealed class Consensus(LedgerNode node) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (node.Raft is not { } raft)
            {
                return Task.FromResult(HealthCheckResult.Healthy("Solo: this node orders its own blocks."));
            }
            var status = raft.Status();
            var lag = Math.Max(0, status.CommitIndex - status.AppliedIndex);
            return Task.FromResult(status switch
            {
                { Divergence: not null } => HealthCheckResult.Unhealthy("This node diverged from the certified chain and has stopped."),
                { Leader: null } => HealthCheckResult.Unhealthy("No leader: fewer than a majority of the network's nodes are reachable."),
                _ when lag > MaximumApplyLag => HealthCheckResult.Degraded($"{lag} committed entries not applied yet."),
                _ => HealthCheckResult.Healthy($"Leader {status.Leader}, term {status.Term}, {lag} entries behind."),
            });
        }
    }

    /// <summary>The report as JSON: overall status, and each check's status and description.</summary>
    public static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }, CareLedger.Client.CareLedgerClient.Json));
    }
}
