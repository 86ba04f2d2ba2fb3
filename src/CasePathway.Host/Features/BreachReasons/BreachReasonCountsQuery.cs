using CasePathway.Domain.Clocks;
using CasePathway.Domain.Time;
using CasePathway.Host.Features.Clocks;
using CasePathway.Projections.Tenants;
using NodaTime;
using Npgsql;

namespace CasePathway.Host.Features.BreachReasons;

/// <summary>One line of the board's reasons table: a reason of the council's list (or none recorded) and its breaches.</summary>
/// <param name="Code">The council's code; null for the breaches with no reason recorded.</param>
public sealed record BreachReasonCount(string? Code, string Label, int Breaches);

/// <summary>
/// The month's breaches by reason for delay. <see cref="Breaches"/>: clocks that fell overdue in the month (London
/// time), as now known, and are breached or were stopped late — not those met, cancelled or not measurable.
/// </summary>
public sealed record MonthBreachReasons(string Tenant, YearMonth Month, int Breaches, IReadOnlyList<BreachReasonCount> Rows);

public interface IBreachReasonCountsSource
{
    Task<MonthBreachReasons> GetAsync(string tenant, YearMonth month, CancellationToken cancellationToken);
}

/// <summary>
/// Counts the month's breaches by the reason now recorded for each, from the clock versions and the reasons'
/// read model (the same rows the breach list reads). Aggregates only: no child is named.
/// </summary>
public sealed class BreachReasonCountsQuery(NpgsqlDataSource dataSource, TenantDirectory tenants, IClock clock) : IBreachReasonCountsSource
{
    public async Task<MonthBreachReasons> GetAsync(string tenant, YearMonth month, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        var from = London.InstantOf(month.OnDayOfMonth(1).AtMidnight());
        var to = London.InstantOf(month.PlusMonths(1).OnDayOfMonth(1).AtMidnight());
        var context = tenants.For(tenant);
        await using var cmd = dataSource.CreateCommand($"""
            select c.*, r.reason
            from (select {StoredClock.Columns} from clock_versions
                  where tenant = $1 and known_to is null and overdue_from >= $2 and overdue_from < $3 and overdue_from <= $4
                    and cancelled_on is null and not not_measurable) c
            {BreachReasonView.Join(null)}
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenant });
        cmd.Parameters.Add(new NpgsqlParameter { Value = from });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to });
        cmd.Parameters.Add(new NpgsqlParameter { Value = now });
        var byCode = new Dictionary<string, int>(StringComparer.Ordinal);
        var none = 0;
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                // met clocks stopped before they fell overdue; the domain's status says so, as everywhere else
                if (StoredClock.Read(reader).StatusAt(now) is not (ClockStatus.Breached or ClockStatus.Late)) continue;
                if (reader.IsDBNull(StoredClock.ColumnCount)) none++;
                else
                {
                    var code = reader.GetString(StoredClock.ColumnCount);
                    byCode[code] = byCode.GetValueOrDefault(code) + 1;
                }
            }
        }
        // every reason of the council's list, in its order (a zero says something too); codes it no longer offers after them
        var rows = context.Reasons.Codes.Select(c => new BreachReasonCount(c.Code, c.Label, byCode.GetValueOrDefault(c.Code)))
            .Concat(byCode.Keys.Where(k => context.Reasons.Find(k) is null).Order(StringComparer.Ordinal).Select(k => new BreachReasonCount(k, k, byCode[k])))
            .Append(new BreachReasonCount(null, "No reason recorded", none))
            .ToList();
        return new MonthBreachReasons(tenant, month, byCode.Values.Sum() + none, rows);
    }
}
