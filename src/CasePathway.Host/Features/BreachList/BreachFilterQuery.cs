using Npgsql;

namespace CasePathway.Host.Features.BreachList;

/// <summary>
/// The choices seen in the open clocks as known now (<c>clock_versions</c>), so a filter never offers a value that
/// could only give an empty list. One round trip. Sized for a 100,000-child council (docs/performance.md, "Pages on a
/// 100,000-child council"): the councils are read by skipping along the primary key's first column, and the teams,
/// workers and rules in one pass over the open clocks through the breach list's own partial index, rather than three
/// passes over every live clock version (ten times as many rows).
/// </summary>
public sealed class BreachFilterQuery(NpgsqlDataSource dataSource)
{
    public async Task<BreachFilterOptions> GetAsync(string? tenant, CancellationToken ct = default)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            with recursive t as (
              select min(tenant) as tenant from clock_versions
              union all
              select (select min(tenant) from clock_versions where tenant > t.tenant) from t where t.tenant is not null)
            select tenant from t where tenant is not null
            """));
        batch.BatchCommands.Add(Command("""
            select grouping(team), grouping(worker), team, worker, rule, min(rule_title) from clock_versions
            where tenant = $1 and known_to is null and stopped_on is null and cancelled_on is null and not not_measurable
            group by grouping sets ((team), (worker), (rule))
            """, tenant));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var tenants = new List<string>();
        while (await reader.ReadAsync(ct)) tenants.Add(reader.GetString(0));
        await reader.NextResultAsync(ct);
        var (teams, workers, rules) = (new List<string>(), new List<string>(), new List<RuleOption>());
        while (await reader.ReadAsync(ct))
        {
            // grouping(x) = 0: the row is of x's set
            if (reader.GetInt32(0) == 0) { if (!reader.IsDBNull(2)) teams.Add(reader.GetString(2)); }
            else if (reader.GetInt32(1) == 0) { if (!reader.IsDBNull(3)) workers.Add(reader.GetString(3)); }
            else rules.Add(new RuleOption(reader.GetString(4), reader.GetString(5)));
        }
        teams.Sort(StringComparer.Ordinal);
        workers.Sort(StringComparer.Ordinal);
        rules.Sort((a, b) => StringComparer.Ordinal.Compare(a.Id, b.Id));
        return new BreachFilterOptions(tenants, teams, workers, rules);
    }

    private static NpgsqlBatchCommand Command(string sql, string? tenant)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)tenant ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return command;
    }
}
