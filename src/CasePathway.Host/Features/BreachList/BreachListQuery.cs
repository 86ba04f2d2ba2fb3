using CasePathway.Domain.Clocks;
using CasePathway.Domain.Time;
using CasePathway.Host.Features.Clocks;
using CasePathway.Host.Output;
using CasePathway.Projections.Tenants;
using NodaTime;
using Npgsql;

namespace CasePathway.Host.Features.BreachList;

/// <summary>
/// The breach list: open clocks that are breached or fall due within N working days, from the indexed
/// clock versions — never by replaying streams. "Now" reads the open versions; as at T reads the
/// versions whose knowledge interval contains T, evaluated at T.
/// </summary>
public sealed class BreachListQuery(NpgsqlDataSource dataSource, TenantDirectory tenants, IClock clock) : IBreachListSource
{
    private readonly BreachFilterQuery _filters = new(dataSource);

    public Task<BreachFilterOptions> GetFilterOptionsAsync(string? tenant, CancellationToken cancellationToken) =>
        _filters.GetAsync(tenant, cancellationToken);

    public async Task<BreachList> GetAsync(BreachListRequest request, CancellationToken ct = default)
    {
        if (request.WithinWorkingDays < 0) throw new ArgumentOutOfRangeException(nameof(request), "within: must be 0 or more working days");
        var at = request.AsAt ?? clock.GetCurrentInstant();
        var context = tenants.For(request.Tenant);
        var horizon = context.Calendar.AddWorkingDays(London.DateOf(at), request.WithinWorkingDays);
        var horizonEnd = London.InstantOf(horizon.PlusDays(1).AtMidnight());
        var knowledge = request.AsAt is null
            ? "known_to is null"
            : "known_from <= $2 and (known_to is null or known_to > $2)";
        await using var cmd = dataSource.CreateCommand(
            $"""
            select {StoredClock.Columns}
            from clock_versions
            where tenant = $1 and {knowledge}
              and stopped_on is null and cancelled_on is null and not not_measurable
              and overdue_from <= $3 and due_on <= $4
              and ($5::text is null or team = $5) and ($6::text is null or worker = $6) and ($7::text is null or rule = $7)
            order by overdue_from, child, rule, episode
            """);
        cmd.Parameters.Add(new() { Value = request.Tenant });
        cmd.Parameters.Add(new() { Value = at });
        cmd.Parameters.Add(new() { Value = horizonEnd });
        cmd.Parameters.Add(new() { Value = horizon });
        cmd.Parameters.Add(new() { Value = (object?)request.Team ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = (object?)request.Worker ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = (object?)request.Rule ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var rows = new List<BreachRow>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var c = StoredClock.Read(reader);
                rows.Add(new BreachRow(
                    c.Tenant, c.Child, c.Rule, c.RuleTitle, c.Episode, c.Team, c.Worker,
                    ClockText.Time(c.Unit, c.Started), ClockText.Due(c.Due), c.StatusAt(at),
                    ClockText.Remaining(context.Calendar, c.Due, at), c.OverdueFrom));
            }
        }
        var counts = rows.GroupBy(r => r.Rule).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count());
        return new BreachList(request.Tenant, at, request.AsAt is not null, request.WithinWorkingDays, rows, counts);
    }
}
