using NodaTime;
using Npgsql;

namespace CasePathway.Host.Features.Alerts;

/// <summary>One person's daily message about one team.</summary>
public sealed record AlertSubscription(
    Guid Id, string Tenant, string Team, string Subscriber, string Email, int WithinWorkingDays, LocalDate NextDate,
    Instant CreatedAt, Instant? CancelledAt)
{
    internal const string Columns = "id, tenant, team, subscriber, email, within_working_days, next_date, created_at, cancelled_at";

    internal static AlertSubscription Read(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt32(5),
        r.GetFieldValue<LocalDate>(6), r.GetFieldValue<Instant>(7), r.IsDBNull(8) ? null : r.GetFieldValue<Instant>(8));
}

/// <summary>One line of the sent list: a message that went, or was given up on.</summary>
public sealed record AlertDelivery(
    Instant SentAt, Guid Subscription, LocalDate Date, string Team, string Channel, string Outcome, string? Detail, int Attempts, int Clocks);

/// <summary>The subscriptions and the sent list (tables of migration 0012). Scheduling lives in <see cref="MorningAlerts"/>.</summary>
public sealed class AlertSubscriptionQuery(NpgsqlDataSource dataSource)
{
    /// <summary>A person's live subscriptions in a council (<paramref name="subscriber"/> null: everyone's, for the operator's command line).</summary>
    public async Task<IReadOnlyList<AlertSubscription>> LiveForAsync(string tenant, string? subscriber, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            $"select {AlertSubscription.Columns} from alert_subscriptions where tenant = $1 and ($2::text is null or subscriber = $2) and cancelled_at is null order by team, subscriber, created_at");
        cmd.Parameters.Add(new() { Value = tenant });
        cmd.Parameters.Add(new() { Value = (object?)subscriber ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var list = new List<AlertSubscription>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) list.Add(AlertSubscription.Read(reader));
        return list;
    }

    /// <summary>Stops a subscription of this person's; false when there is no such live one.</summary>
    public async Task<bool> CancelAsync(Guid id, string tenant, string subscriber, Instant now, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "update alert_subscriptions set cancelled_at = $4 where id = $1 and tenant = $2 and subscriber = $3 and cancelled_at is null");
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new() { Value = tenant });
        cmd.Parameters.Add(new() { Value = subscriber });
        cmd.Parameters.Add(new() { Value = now });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// What was sent for a council, newest first: the messages for council-local dates from <paramref name="from"/> to
    /// <paramref name="to"/> (inclusive; null: unbounded), at most <paramref name="limit"/> (null: all).
    /// </summary>
    public async Task<IReadOnlyList<AlertDelivery>> SentAsync(string tenant, int? limit, CancellationToken ct, LocalDate? from = null, LocalDate? to = null)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            select sent_at, subscription, local_date, team, channel, outcome, detail, attempts, clocks from alert_deliveries
            where tenant = $1 and ($3::date is null or local_date >= $3) and ($4::date is null or local_date <= $4)
            order by sent_at desc, subscription limit $2
            """);
        cmd.Parameters.Add(new() { Value = tenant });
        cmd.Parameters.Add(new() { Value = (object?)limit ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        cmd.Parameters.Add(new() { Value = (object?)from ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        cmd.Parameters.Add(new() { Value = (object?)to ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        var list = new List<AlertDelivery>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            list.Add(new AlertDelivery(reader.GetFieldValue<Instant>(0), reader.GetGuid(1), reader.GetFieldValue<LocalDate>(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetInt32(7), reader.GetInt32(8)));
        return list;
    }
}
