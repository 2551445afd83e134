using System.Diagnostics.Metrics;

namespace CareLedger.Node.Auth;

/// <summary>
/// Refused authentication and authorisation, as HIPAA §164.312(b) asks: each refusal is logged at Warning with a security event
/// id, counted by code, and kept (the last <see cref="Capacity"/>) for the organisation's security officer. A line holds the code,
/// the key id the token named, the route pattern (not the path, which can name a patient) and the remote address; never a token.
/// </summary>
internal sealed class SecurityEvents(ILogger<SecurityEvents> logger, TimeProvider clock)
{
    public const int Capacity = 1000;

    /// <summary>The meter of the refusal counter (exported by <see cref="Operations.Telemetry"/>).</summary>
    public const string MeterName = "CareLedger.Node.Security";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Refusals = Meter.CreateCounter<long>("careledger.auth.refusals", description: "Refused requests, by code");

    private readonly Queue<SecurityEvent> _recent = new();
    private readonly Lock _lock = new();

    public void Refused(HttpContext http, string code, string? kid)
    {
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
        var remote = http.Connection.RemoteIpAddress?.ToString() ?? "";
        Log.AccessRefused(logger, code, kid ?? "(none)", http.Request.Method, route, remote);
        Refusals.Add(1, new KeyValuePair<string, object?>("code", code));
        var e = new SecurityEvent(clock.GetUtcNow().ToUnixTimeMilliseconds(), code, kid, http.Request.Method, route, remote);
        lock (_lock)
        {
            if (_recent.Count == Capacity)
            {
                _recent.Dequeue();
            }
            _recent.Enqueue(e);
        }
    }

    /// <summary>The most recent refusals, newest first.</summary>
    public IReadOnlyList<SecurityEvent> Recent(int limit)
    {
        lock (_lock)
        {
            return _recent.Reverse().Take(Math.Clamp(limit, 1, Capacity)).ToList();
        }
    }
}

/// <summary>One refused request: when, the stable code, the key id the token named (if any), method, route pattern, remote address.</summary>
public sealed record SecurityEvent(long Time, string Code, string? Kid, string Method, string Route, string Remote);
