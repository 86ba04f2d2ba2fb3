using Npgsql;

namespace CasePathway.Host.Features.LateRecordings;

/// <summary>One team's recording timeliness: how many events, how many recorded more than N working days late.</summary>
public sealed record LateRecordingSummary(string? Team, long Events, long Late, long WorstLateWorkingDays)
{
    public decimal Share => Events == 0 ? 0 : 100m * Late / Events;
}

/// <summary>Events recorded more than N working days after they happened, by the team that held the case then.</summary>
public sealed class LateRecordingsQuery(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<LateRecordingSummary>> GetAsync(string tenant, int moreThanWorkingDays, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            select team, count(*), count(*) filter (where late_working_days > $2), coalesce(max(late_working_days), 0)
            from child_timeline
            where tenant = $1 and not retracted
            group by team
            order by team nulls last
            """);
        cmd.Parameters.Add(new() { Value = tenant });
        cmd.Parameters.Add(new() { Value = moreThanWorkingDays });
        var rows = new List<LateRecordingSummary>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new LateRecordingSummary(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3)));
        return rows;
    }
}
