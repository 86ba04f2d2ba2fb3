using CasePathway.Host.Runtime;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CasePathway.Host.Web;

/// <summary>
/// Ready only while every projection's Marten progression is within <see cref="ReadinessOptions.MaxProjectionLag"/>
/// events of the log's highest committed sequence: further behind, the breach list and the scorecard are stale
/// (requests read the read models as they are; only the child pages fold the stream directly).
/// </summary>
public sealed class ProjectionsNotFarBehind(CasePathwayRuntime runtime, ReadinessOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var behind = new List<string>();
        var worst = 0L;
        foreach (var status in await runtime.Projections.StatusAsync(cancellationToken))
        {
            worst = Math.Max(worst, status.Lag);
            if (status.Lag > options.MaxProjectionLag) behind.Add($"{status.Name} is {status.Lag} events behind");
        }
        return behind.Count == 0
            ? HealthCheckResult.Healthy($"projections at most {worst} events behind (limit {options.MaxProjectionLag})")
            : HealthCheckResult.Unhealthy(string.Join("; ", behind) + $" (limit {options.MaxProjectionLag})");
    }
}

/// <summary>
/// Not ready while a projection has events waiting and its position has not moved for
/// <see cref="ReadinessOptions.StalledAfterSeconds"/>: no daemon runs it, its daemon is wedged, or Marten's
/// high-water mark is held back (a transaction left open holds every later event back). The lag check alone
/// would call a stalled projection fine while few events wait.
/// </summary>
public sealed class ProjectionsAdvancing(CasePathwayRuntime runtime, ReadinessOptions options, ProjectionProgressWatch watch) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var stalled = new List<string>();
        foreach (var status in await runtime.Projections.StatusAsync(cancellationToken))
        {
            var still = watch.StillFor(status.Name, status.Position, status.Lag);
            if (still.TotalSeconds >= options.StalledAfterSeconds)
                stalled.Add($"{status.Name} has not advanced for {still.TotalSeconds:0} s with {status.Lag} events waiting" +
                            (status.Running ? "" : " and no daemon runs it"));
        }
        return stalled.Count == 0
            ? HealthCheckResult.Healthy($"every projection with events waiting advanced within {options.StalledAfterSeconds} s")
            : HealthCheckResult.Unhealthy(string.Join("; ", stalled));
    }
}

/// <summary>Remembers since when each projection has stood at its position with events waiting (one per app).</summary>
public sealed class ProjectionProgressWatch
{
    private readonly Dictionary<string, (long Position, DateTimeOffset Since)> _seen = [];

    public TimeSpan StillFor(string projection, long position, long lag)
    {
        lock (_seen)
        {
            var now = DateTimeOffset.UtcNow;
            if (lag == 0)
            {
                _seen.Remove(projection);
                return TimeSpan.Zero;
            }
            if (!_seen.TryGetValue(projection, out var seen) || seen.Position != position)
                _seen[projection] = seen = (position, now);
            return now - seen.Since;
        }
    }
}

/// <summary>
/// Not ready while a transaction on the database has been open longer than
/// <see cref="ReadinessOptions.MaxTransactionSeconds"/>: until it ends, Marten's high-water mark cannot pass a
/// sequence it may hold, so every event committed after it waits, and the breach list goes stale while writes
/// still succeed. Names the session's state and age, never its query (which may hold personal data).
/// </summary>
public sealed class NoLongOpenTransaction(CasePathwayRuntime runtime, ReadinessOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var cmd = runtime.DataSource.CreateCommand(
            """
            select pid, state, extract(epoch from now() - xact_start)::bigint
            from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
              and xact_start < now() - make_interval(secs => $1)
            order by xact_start
            """);
        cmd.Parameters.Add(new() { Value = (double)options.MaxTransactionSeconds });
        var open = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                open.Add($"session {reader.GetInt32(0)} ({(reader.IsDBNull(1) ? "?" : reader.GetString(1))}) for {reader.GetInt64(2)} s");
        return open.Count == 0
            ? HealthCheckResult.Healthy($"no transaction open longer than {options.MaxTransactionSeconds} s")
            : HealthCheckResult.Unhealthy(
                $"{open.Count} transaction(s) open longer than {options.MaxTransactionSeconds} s, holding the projections' high-water mark back: {string.Join(", ", open)}");
    }
}

/// <summary>
/// Degraded (still ready: every other child is served) while any child is parked, naming how many and in which
/// councils — never which child (a health answer is not access-controlled); <c>projections parked</c> names them.
/// </summary>
public sealed class NoParkedChildren(CasePathwayRuntime runtime) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var parked = await runtime.Projections.ParkedAsync(ct: cancellationToken);
        if (parked.Count == 0) return HealthCheckResult.Healthy("no child is parked");
        var children = parked.Select(p => (p.Tenant, p.Child)).Distinct().ToList();
        var councils = children.GroupBy(c => c.Tenant).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}");
        return HealthCheckResult.Degraded(
            $"{children.Count} child(ren) parked (their events do not fold; they keep their last rows) in council(s) {string.Join(", ", councils)}: see `casepathway projections parked`");
    }
}

/// <summary>Readiness thresholds (<c>CasePathway:Ready</c>).</summary>
public sealed class ReadinessOptions
{
    public const string Section = "CasePathway:Ready";

    /// <summary>Most events a projection may trail the log by while the app reports ready.</summary>
    public long MaxProjectionLag { get; set; } = 5000;

    /// <summary>Seconds a projection may stand still with events waiting while the app reports ready.</summary>
    public int StalledAfterSeconds { get; set; } = 30;

    /// <summary>Seconds a transaction may stay open on the database while the app reports ready.</summary>
    public int MaxTransactionSeconds { get; set; } = 60;
}
