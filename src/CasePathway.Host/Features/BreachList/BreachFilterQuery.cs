using Npgsql;

namespace CasePathway.Host.Features.BreachList;

/// <summary>
/// The choices seen in the clocks as known now (<c>clock_versions</c>), so a filter never offers a value
/// that could only give an empty list. One round trip.
/// </summary>
public sealed class BreachFilterQuery(NpgsqlDataSource dataSource)
{
    public async Task<BreachFilterOptions> GetAsync(string? tenant, CancellationToken ct = default)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("select distinct tenant from clock_versions order by tenant"));
        batch.BatchCommands.Add(Command("select distinct team from clock_versions where tenant = $1 and known_to is null and team is not null order by team", tenant));
        batch.BatchCommands.Add(Command("select distinct worker from clock_versions where tenant = $1 and known_to is null and worker is not null order by worker", tenant));
        batch.BatchCommands.Add(Command("select rule, min(rule_title) from clock_versions where tenant = $1 and known_to is null group by rule order by rule", tenant));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var tenants = await ReadTextsAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var teams = await ReadTextsAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var workers = await ReadTextsAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var rules = new List<RuleOption>();
        while (await reader.ReadAsync(ct)) rules.Add(new RuleOption(reader.GetString(0), reader.GetString(1)));
        return new BreachFilterOptions(tenants, teams, workers, rules);
    }

    private static NpgsqlBatchCommand Command(string sql, string? tenant)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)tenant ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return command;
    }

    private static async Task<List<string>> ReadTextsAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var texts = new List<string>();
        while (await reader.ReadAsync(ct)) texts.Add(reader.GetString(0));
        return texts;
    }
}
