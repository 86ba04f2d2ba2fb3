using CasePathway.Domain.Scorecard;
using CasePathway.Projections.Tenants;
using NodaTime;
using Npgsql;

namespace CasePathway.Host.Features.Scorecard;

/// <summary>The dimensions facts can be broken down by.</summary>
public enum FactDimension { Route, Source, Team }

/// <summary>Reads the scorecard, its trends, breakdowns and drill-downs from <c>indicator_facts</c>.</summary>
public sealed class ScorecardQuery(NpgsqlDataSource dataSource, TenantDirectory tenants) : IScorecardSource
{
    public async Task<ScorecardReport> GetAsync(string tenant, YearMonth month, CancellationToken ct = default) =>
        (await GetMonthsAsync(tenant, month, 1, ct))[0];

    /// <summary>The scorecards of the <paramref name="count"/> months ending with <paramref name="month"/>, oldest first, from one read.</summary>
    public async Task<IReadOnlyList<ScorecardReport>> GetMonthsAsync(string tenant, YearMonth month, int count, CancellationToken ct = default)
    {
        var first = month.PlusMonths(-(count - 1));
        var totals = await TotalsAsync(tenant, first.PlusMonths(-ScorecardCalculator.MonthsNeeded), month, ct);
        MonthTotals Lookup(string factSet, YearMonth m) => totals.GetValueOrDefault((factSet, m));
        var settings = tenants.For(tenant).Settings;
        var reports = new List<ScorecardReport>(count);
        for (var m = first; m <= month; m = m.PlusMonths(1)) reports.Add(ScorecardCalculator.Compute(settings, m, Lookup));
        return reports;
    }

    /// <summary>
    /// The items behind an indicator's headline figure for a month (its period: the month, the year to date
    /// or 12 months), numerator first. Null when no indicator has that id.
    /// </summary>
    public async Task<IReadOnlyList<IndicatorItem>?> ItemsAsync(string tenant, string indicatorId, YearMonth month, CancellationToken ct = default)
    {
        if (Indicators.Find(indicatorId) is not { } indicator) return null;
        var from = indicator.Period switch
        {
            IndicatorPeriod.YearToDate => ScorecardCalculator.FinancialYearStart(month),
            IndicatorPeriod.Rolling12Months => month.PlusMonths(-11),
            _ => month,
        };
        await using var cmd = dataSource.CreateCommand(
            """
            select child, episode, rule, indicator, occurred_on, in_numerator, in_denominator, value, route, source, team, event_id
            from indicator_facts
            where tenant = $1 and indicator = $2 and month between $3 and $4
            order by in_numerator desc, occurred_on, child, episode
            """);
        cmd.Parameters.Add(new() { Value = tenant });
        cmd.Parameters.Add(new() { Value = indicator.FactSet });
        cmd.Parameters.Add(new() { Value = FirstDay(from) });
        cmd.Parameters.Add(new() { Value = FirstDay(month) });
        var items = new List<IndicatorItem>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            items.Add(new IndicatorItem(
                reader.GetString(0), reader.GetString(1), NullableText(reader, 2), reader.GetString(3),
                reader.GetFieldValue<LocalDate>(4),
                reader.GetBoolean(5), reader.GetBoolean(6), reader.IsDBNull(7) ? null : reader.GetDecimal(7),
                NullableText(reader, 8), NullableText(reader, 9), NullableText(reader, 10), reader.GetGuid(11)));
        }
        return items;
    }

    /// <summary>A fact set's facts in a month grouped by a dimension (null key: not recorded).</summary>
    public async Task<IReadOnlyList<FactGroup>> BreakdownAsync(string tenant, string factSet, YearMonth month, FactDimension dimension, CancellationToken ct = default)
    {
        var column = dimension switch { FactDimension.Route => "route", FactDimension.Source => "source", _ => "team" };
        return await GroupsAsync(
            $"""
            select {column}, count(*) filter (where in_numerator), count(*) filter (where in_denominator)
            from indicator_facts where tenant = $1 and indicator = $2 and month = $3
            group by 1 order by 1 nulls last
            """, tenant, factSet, month, ct);
    }

    /// <summary>How many of a fact set's facts in a month have each value (e.g. working days), smallest first.</summary>
    public async Task<IReadOnlyList<(decimal Value, long Count)>> DistributionAsync(string tenant, IReadOnlyList<string> factSets, YearMonth month, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            select value, count(*) from indicator_facts
            where tenant = $1 and indicator = any($2) and month = $3 and in_denominator and value is not null
            group by 1 order by 1
            """);
        cmd.Parameters.Add(new() { Value = tenant });
        cmd.Parameters.Add(new() { Value = factSets.ToArray() });
        cmd.Parameters.Add(new() { Value = FirstDay(month) });
        var rows = new List<(decimal, long)>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) rows.Add((reader.GetDecimal(0), reader.GetInt64(1)));
        return rows;
    }

    private async Task<IReadOnlyList<FactGroup>> GroupsAsync(string sql, string tenant, string factSet, YearMonth month, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.Add(new() { Value = tenant });
        cmd.Parameters.Add(new() { Value = factSet });
        cmd.Parameters.Add(new() { Value = FirstDay(month) });
        var rows = new List<FactGroup>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) rows.Add(new FactGroup(NullableText(reader, 0), reader.GetInt64(1), reader.GetInt64(2)));
        return rows;
    }

    private async Task<Dictionary<(string, YearMonth), MonthTotals>> TotalsAsync(string tenant, YearMonth from, YearMonth to, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            select indicator, month, count(*) filter (where in_numerator), count(*) filter (where in_denominator),
                   coalesce(sum(value) filter (where in_denominator), 0)
            from indicator_facts where tenant = $1 and month between $2 and $3
            group by indicator, month
            """);
        cmd.Parameters.Add(new() { Value = tenant });
        cmd.Parameters.Add(new() { Value = FirstDay(from) });
        cmd.Parameters.Add(new() { Value = FirstDay(to) });
        var totals = new Dictionary<(string, YearMonth), MonthTotals>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var month = reader.GetFieldValue<LocalDate>(1).ToYearMonth();
            totals[(reader.GetString(0), month)] = new MonthTotals(reader.GetInt64(2), reader.GetInt64(3), reader.GetDecimal(4));
        }
        return totals;
    }

    private static LocalDate FirstDay(YearMonth month) => month.OnDayOfMonth(1);

    private static string? NullableText(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
}
