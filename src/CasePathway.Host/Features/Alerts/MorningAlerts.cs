using System.Globalization;
using System.Text;
using CasePathway.Host.Features.BreachList;
using CasePathway.Projections.Tenants;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using NodaTime;
using NodaTime.Text;
using Npgsql;
using Wolverine;
using Wolverine.RDBMS;
using Wolverine.Runtime;

namespace CasePathway.Host.Features.Alerts;

/// <summary>
/// The message Wolverine keeps scheduled for each live subscription: send its alert for this council-local date
/// (a <see cref="DateOnly"/>: Wolverine stores messages as plain JSON, which has no NodaTime converters).
/// </summary>
public sealed record SendMorningAlert(Guid Subscription, DateOnly Date)
{
    public static SendMorningAlert For(Guid subscription, LocalDate date) => new(subscription, date.ToDateOnly());

    public LocalDate Day() => LocalDate.FromDateOnly(Date);
}

/// <summary>A message the channel could not take for now: thrown so that Wolverine tries it again later (nothing is recorded).</summary>
public sealed class AlertNotYetDelivered(string detail) : Exception(detail);

/// <summary>
/// Subscribing and sending. Each live subscription has exactly one <see cref="SendMorningAlert"/> waiting in
/// Wolverine's durable storage, for the subscription's <c>next_date</c>. Sending one, in one transaction: lock the
/// subscription; if its next_date is no longer the message's date, the message ran already (a restart, a retry, a
/// second server) and nothing is sent; else send, record the delivery under (subscription, date), move next_date
/// on and schedule the next message through Wolverine's outbox in the same transaction. A crash before the commit
/// leaves everything as it was and Wolverine runs the message again: at worst a message the provider took just
/// before the crash goes twice; none is lost.
/// </summary>
public sealed class MorningAlerts(
    NpgsqlDataSource dataSource, TenantDirectory tenants, IClock clock, IBreachListSource breaches, IAlertChannel channel,
    AlertOptions options, IWolverineRuntime wolverine, IServiceProvider services, ILogger<MorningAlerts> logger)
{
    public const string Queue = "morning-alerts";
    private static readonly LocalDatePattern LongDate = LocalDatePattern.CreateWithInvariantCulture("dddd d MMMM yyyy");

    /// <summary>How many times a message is tried before it is recorded as failed: once, then once per retry delay.</summary>
    public int MaxAttempts => options.RetryDelays().Length + 1;

    public string ChannelName => channel.Name;

    /// <summary>
    /// Starts (or changes) a person's daily message about a team: an earlier live subscription of theirs for the same
    /// team is cancelled, the new one is stored and its first message scheduled, all in one transaction.
    /// </summary>
    public async Task<AlertSubscription> SubscribeAsync(string tenant, string team, string subscriber, string email, int within, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        var settings = tenants.For(tenant);
        var slot = AlertSchedule.Next(settings.Calendar, settings.Settings.MorningAlertsAt, now);
        var subscription = new AlertSubscription(Guid.CreateVersion7(), tenant, team, subscriber, email, within, slot.Date, now, null);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var cancel = new NpgsqlCommand(
            "update alert_subscriptions set cancelled_at = $4 where tenant = $1 and team = $2 and subscriber = $3 and cancelled_at is null", connection, tx))
        {
            cancel.Parameters.Add(new() { Value = tenant });
            cancel.Parameters.Add(new() { Value = team });
            cancel.Parameters.Add(new() { Value = subscriber });
            cancel.Parameters.Add(new() { Value = now });
            await cancel.ExecuteNonQueryAsync(ct);
        }
        await using (var insert = new NpgsqlCommand(
            $"insert into alert_subscriptions ({AlertSubscription.Columns}) values ($1, $2, $3, $4, $5, $6, $7, $8, null)", connection, tx))
        {
            insert.Parameters.Add(new() { Value = subscription.Id });
            insert.Parameters.Add(new() { Value = tenant });
            insert.Parameters.Add(new() { Value = team });
            insert.Parameters.Add(new() { Value = subscriber });
            insert.Parameters.Add(new() { Value = email });
            insert.Parameters.Add(new() { Value = within });
            insert.Parameters.Add(new() { Value = slot.Date });
            insert.Parameters.Add(new() { Value = now });
            await insert.ExecuteNonQueryAsync(ct);
        }
        var bus = await ScheduleAsync(tx, SendMorningAlert.For(subscription.Id, slot.Date), slot.At, now);
        await tx.CommitAsync(ct);
        await bus.FlushOutgoingMessagesAsync();
        logger.LogInformation("Morning alert subscription {Subscription} for team {Team} of {Tenant}: first message {Date}", subscription.Id, team, tenant, slot.Date);
        return subscription;
    }

    /// <summary>Sends one message (see the class): <paramref name="attempt"/> is Wolverine's count of tries, from 1.</summary>
    public async Task SendAsync(SendMorningAlert message, int attempt, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        AlertSubscription? subscription = null;
        // the lock makes a second run of the same message wait here, then find next_date moved on
        await using (var select = new NpgsqlCommand($"select {AlertSubscription.Columns} from alert_subscriptions where id = $1 for update", connection, tx))
        {
            select.Parameters.Add(new() { Value = message.Subscription });
            await using var reader = await select.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct)) subscription = AlertSubscription.Read(reader);
        }
        if (subscription is null || subscription.CancelledAt is not null || subscription.NextDate != message.Day())
        {
            logger.LogInformation("Morning alert {Subscription} for {Date}: not sent (cancelled, or sent already)", message.Subscription, message.Date);
            return;
        }

        var now = clock.GetCurrentInstant();
        var (email, clocks) = await ComposeAsync(subscription, message.Day(), ct);
        var result = await channel.SendAsync(email, ct);
        if (result.Outcome == DeliveryOutcome.NotYet && attempt < MaxAttempts)
        {
            logger.LogWarning("Morning alert {Subscription} for {Date}: {Channel} could not take it (try {Attempt} of {Max}); trying again later",
                message.Subscription, message.Date, channel.Name, attempt, MaxAttempts);
            throw new AlertNotYetDelivered(result.Detail ?? "not delivered");
        }
        var outcome = result.Outcome == DeliveryOutcome.Sent ? "sent" : "failed";
        await using (var insert = new NpgsqlCommand(
            "insert into alert_deliveries (subscription, local_date, tenant, team, channel, outcome, detail, attempts, clocks, sent_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", connection, tx))
        {
            insert.Parameters.Add(new() { Value = subscription.Id });
            insert.Parameters.Add(new() { Value = message.Day() });
            insert.Parameters.Add(new() { Value = subscription.Tenant });
            insert.Parameters.Add(new() { Value = subscription.Team });
            insert.Parameters.Add(new() { Value = channel.Name });
            insert.Parameters.Add(new() { Value = outcome });
            insert.Parameters.Add(new() { Value = (object?)result.Detail ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            insert.Parameters.Add(new() { Value = attempt });
            insert.Parameters.Add(new() { Value = clocks });
            insert.Parameters.Add(new() { Value = now });
            await insert.ExecuteNonQueryAsync(ct);
        }
        var settings = tenants.For(subscription.Tenant);
        var next = AlertSchedule.Next(settings.Calendar, settings.Settings.MorningAlertsAt, now, after: message.Day());
        await using (var move = new NpgsqlCommand("update alert_subscriptions set next_date = $2 where id = $1", connection, tx))
        {
            move.Parameters.Add(new() { Value = subscription.Id });
            move.Parameters.Add(new() { Value = next.Date });
            await move.ExecuteNonQueryAsync(ct);
        }
        var bus = await ScheduleAsync(tx, SendMorningAlert.For(subscription.Id, next.Date), next.At, now);
        await tx.CommitAsync(ct);
        await bus.FlushOutgoingMessagesAsync();
        // ids, dates and counts only: never the address or a child
        logger.LogInformation("Morning alert {Subscription} for {Date}: {Outcome} by {Channel} after {Attempt} tries ({Clocks} clocks); next {Next}",
            subscription.Id, message.Date, outcome, channel.Name, attempt, clocks, next.Date);
    }

    /// <summary>Puts the message into Wolverine's durable storage inside <paramref name="tx"/>; flush the returned bus after committing.</summary>
    private async Task<MessageContext> ScheduleAsync(NpgsqlTransaction tx, SendMorningAlert message, Instant at, Instant now)
    {
        var database = wolverine.Storage as IMessageDatabase
            ?? throw new InvalidOperationException("morning alerts need Wolverine's PostgreSQL message storage (the server runs over a database)");
        var bus = new MessageContext(wolverine);
        await bus.EnlistInOutboxAsync(new DatabaseEnvelopeTransaction(database, tx));
        // a delay from the application's clock, so that a pinned or fake "now" schedules as the real one would
        var delay = at - now;
        await bus.ScheduleAsync(message, delay > Duration.FromMilliseconds(1) ? delay.ToTimeSpan() : TimeSpan.FromMilliseconds(1));
        return bus;
    }

    /// <summary>
    /// The message: counts by rule of the team's clocks breached or due within the subscriber's window, and a link
    /// to that breach list. No child is named: the list itself stays behind sign-in (docs/security.md).
    /// </summary>
    public async Task<(AlertEmail Email, int Clocks)> ComposeAsync(AlertSubscription s, LocalDate date, CancellationToken ct)
    {
        var request = new BreachListRequest(s.Tenant, Team: s.Team, WithinWorkingDays: s.WithinWorkingDays, PageSize: 1);
        var all = await breaches.GetAsync(request, ct);
        var breached = await breaches.GetAsync(request with { Status = BreachStatusFilter.Breached }, ct);
        var titles = (await breaches.GetFilterOptionsAsync(s.Tenant, ct)).Rules.ToDictionary(r => r.Id, r => r.Title);
        var settings = tenants.For(s.Tenant);
        var horizon = settings.Calendar.AddWorkingDays(date, s.WithinWorkingDays);
        var dueSoon = all.Total - breached.Total;
        var link = PublicUrl() + "/breaches" + BreachListParameters.Of(s.Tenant, s.Team, null, null, null, s.WithinWorkingDays.ToString(CultureInfo.InvariantCulture)).ToQueryString();

        var body = new StringBuilder();
        body.Append("Team ").Append(s.Team).Append(", ").Append(settings.Settings.DisplayName).Append(" — ").Append(LongDate.Format(date)).Append("\n\n");
        if (all.Total == 0)
            body.Append("No open clock of the team is breached or due by ").Append(LongDate.Format(horizon)).Append(".\n");
        else
        {
            body.Append(breached.Total).Append(breached.Total == 1 ? " clock is" : " clocks are").Append(" breached; ")
                .Append(dueSoon).Append(" more ").Append(dueSoon == 1 ? "falls" : "fall").Append(" due by ").Append(LongDate.Format(horizon))
                .Append(" (within ").Append(s.WithinWorkingDays).Append(s.WithinWorkingDays == 1 ? " working day" : " working days").Append(").\n\n");
            foreach (var (rule, count) in all.CountsByRule.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal))
                body.Append("* ").Append(titles.GetValueOrDefault(rule, rule)).Append(" (").Append(rule).Append("): ").Append(count).Append('\n');
        }
        body.Append("\nThe list, after signing in: ").Append(link).Append('\n');
        body.Append("\nYou get this because you subscribed on CasePathway's Morning alerts page; stop it there.\n");
        var subject = $"Team {s.Team}: {breached.Total} breached, {dueSoon} due within {s.WithinWorkingDays} working day{(s.WithinWorkingDays == 1 ? "" : "s")}";
        return (new AlertEmail(s.Email, subject, body.ToString(), $"{s.Id:N}-{date:yyyyMMdd}"), all.Total);
    }

    private string PublicUrl()
    {
        if (options.PublicUrl is { Length: > 0 } configured) return configured.TrimEnd('/');
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        return addresses?.FirstOrDefault()?.TrimEnd('/') ?? "";
    }
}

/// <summary>Wolverine's handler of <see cref="SendMorningAlert"/> (durable local queue <see cref="MorningAlerts.Queue"/>).</summary>
public sealed class SendMorningAlertHandler
{
    public static Task Handle(SendMorningAlert message, Envelope envelope, MorningAlerts alerts, CancellationToken cancellationToken) =>
        alerts.SendAsync(message, Math.Max(1, envelope.Attempts), cancellationToken);
}
