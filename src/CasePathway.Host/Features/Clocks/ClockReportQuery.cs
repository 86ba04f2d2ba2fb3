using CasePathway.Domain.Calendar;
using CasePathway.Domain.Clocks;
using CasePathway.Domain.Rules;
using CasePathway.Domain.Tenants;
using CasePathway.Domain.Time;
using CasePathway.Host.Output;
using CasePathway.Projections.Tenants;
using NodaTime;
using Npgsql;

namespace CasePathway.Host.Features.Clocks;

/// <summary>Every clock of a tenant as known at an instant (now by default), with its status and elapsed amount there.</summary>
public sealed class ClockReportQuery(NpgsqlDataSource dataSource, TenantDirectory tenants, IClock clock) : IClockReportSource
{
    public async Task<ClockReport> GetReportAsync(string tenant, Instant? asAt, string? child, CancellationToken cancellationToken)
    {
        var at = asAt ?? clock.GetCurrentInstant();
        return new ClockReport(tenant, at, asAt is not null, await ReadAsync(tenant, at, asAt is not null, child, cancellationToken));
    }

    public Task<IReadOnlyList<ClockView>> GetAsync(string tenant, Instant? asAt = null, string? child = null, CancellationToken ct = default) =>
        ReadAsync(tenant, asAt ?? clock.GetCurrentInstant(), asAt is not null, child, ct);

    private async Task<IReadOnlyList<ClockView>> ReadAsync(string tenant, Instant at, bool isAsAt, string? child, CancellationToken ct)
    {
        var context = tenants.For(tenant);
        var knowledge = !isAsAt ? "known_to is null" : "known_from <= $2 and (known_to is null or known_to > $2)";
        await using var cmd = dataSource.CreateCommand(
            $"""
            select {StoredClock.Columns}
            from clock_versions
            where tenant = $1 and {knowledge} and ($3::text is null or child = $3)
            order by child, started_on, rule, episode
            """);
        cmd.Parameters.Add(new() { Value = tenant });
        cmd.Parameters.Add(new() { Value = at });
        cmd.Parameters.Add(new() { Value = (object?)child ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var views = new List<ClockView>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var c = StoredClock.Read(reader);
            views.Add(new ClockView(
                c.Tenant, c.Child, c.Rule, c.RuleTitle, c.Episode, c.Unit,
                ClockText.Time(c.Unit, c.Started), ClockText.Due(c.Due),
                c.Stopped is { } s ? ClockText.Time(c.Unit, s) : null,
                c.StatusAt(at),
                ClockElapsed.Of(context.Calendar, c.Started, c.Stopped, c.Cancelled, at, c.Unit),
                c.Explanation + OpenStatus(c, context, at), c.Team, c.Worker));
        }
        return views;
    }

    /// <summary>For a clock still open, its status at the asked instant (stored explanations stop at the due date).</summary>
    private static string OpenStatus(StoredClock c, TenantContext context, Instant at) =>
        c.Stopped is null && c.Cancelled is null && !c.NotMeasurable
            ? $" Still open at {WorkingCalendar.Describe(London.LocalDateTimeOf(at))}: {c.StatusAt(at).Name()}, {ClockText.Remaining(context.Calendar, c.Due, at)}."
            : "";
}
