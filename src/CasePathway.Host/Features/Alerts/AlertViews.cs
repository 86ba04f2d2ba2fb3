using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CasePathway.Domain.Time;
using CasePathway.Host.Web;
using NodaTime;
using NodaTime.Text;

namespace CasePathway.Host.Features.Alerts;

/// <summary>
/// What a subscription must be, wherever it is asked for (the page's form, <c>POST /api/alerts/subscriptions</c>): one
/// of the person's teams, an e-mail address, a window of 0 to 60 working days (default 2). Problems are named by the
/// field (<c>team</c>, <c>email</c>, <c>within</c>).
/// </summary>
public static partial class AlertSubscriptionRules
{
    public const int DefaultWithin = 2;
    public const int MaxWithin = 60;

    /// <summary>The subscription asked for, or null with <paramref name="problems"/> saying why.</summary>
    public static (string Team, string Email, int Within)? Check(IReadOnlySet<string> teams, string? team, string? email, string? within, FieldProblems problems)
    {
        var t = team?.Trim();
        if (string.IsNullOrEmpty(t)) problems.Add("team", "choose one of your teams");
        else if (!teams.Contains(t)) problems.Add("team", "is not one of your teams");
        var e = email?.Trim();
        if (string.IsNullOrEmpty(e)) problems.Add("email", "is required");
        else if (e.Length > 254 || !EmailShape().IsMatch(e)) problems.Add("email", "must be an e-mail address, like name@council.gov.uk");
        var w = DefaultWithin;
        if (!string.IsNullOrWhiteSpace(within) && (!int.TryParse(within.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out w) || w > MaxWithin))
            problems.Add("within", $"must be a whole number of working days from 0 to {MaxWithin}");
        return problems.Any ? null : (t!, e!, w);
    }

    // one @, no spaces or characters that could end a header: the address goes into a message header
    [GeneratedRegex(@"^[^\s@<>(),;:""\\]+@[^\s@<>(),;:""\\]+\.[^\s@<>(),;:""\\]+$")]
    private static partial Regex EmailShape();
}

/// <summary>A subscription as the API and the command line give it (dates <c>yyyy-MM-dd</c>, instants ISO 8601 UTC).</summary>
public sealed record AlertSubscriptionView(
    Guid Id, string Tenant, string Team, string Subscriber, string Email, int WithinWorkingDays, string NextDate, string CreatedAt)
{
    public static readonly IReadOnlyList<string> Columns = ["id", "tenant", "team", "subscriber", "email", "withinWorkingDays", "nextDate", "createdAt"];

    public static AlertSubscriptionView Of(AlertSubscription s) =>
        new(s.Id, s.Tenant, s.Team, s.Subscriber, s.Email, s.WithinWorkingDays, AlertDates.Text(s.NextDate), OccurrenceText.Format(s.CreatedAt));

    public IReadOnlyList<string?> Row() =>
        [Id.ToString(), Tenant, Team, Subscriber, Email, WithinWorkingDays.ToString(CultureInfo.InvariantCulture), NextDate, CreatedAt];
}

/// <summary>A person's live subscriptions in a council, and the council's sending time (London, <c>HH:mm</c>).</summary>
public sealed record AlertSubscriptionList(string Tenant, string SendsAt, IReadOnlyList<AlertSubscriptionView> Subscriptions);

/// <summary>One message sent (or given up on), as the API and the command line give it.</summary>
public sealed record AlertDeliveryView(
    string SentAt, string Date, Guid Subscription, string Team, string Channel, string Outcome, string? Detail, int Attempts, int Clocks)
{
    public static readonly IReadOnlyList<string> Columns = ["sentAt", "date", "subscription", "team", "channel", "outcome", "detail", "attempts", "clocks"];
    public static readonly IReadOnlySet<string> Numeric = new HashSet<string> { "attempts", "clocks" };

    public static AlertDeliveryView Of(AlertDelivery d) =>
        new(OccurrenceText.Format(d.SentAt), AlertDates.Text(d.Date), d.Subscription, d.Team, d.Channel, d.Outcome, d.Detail, d.Attempts, d.Clocks);

    public IReadOnlyList<string?> Row() =>
        [SentAt, Date, Subscription.ToString(), Team, Channel, Outcome, Detail,
            Attempts.ToString(CultureInfo.InvariantCulture), Clocks.ToString(CultureInfo.InvariantCulture)];
}

/// <summary>What was sent for a council: the dates asked for (null: unbounded) and the messages, newest first.</summary>
public sealed record AlertsSentList(string Tenant, string? From, string? To, IReadOnlyList<AlertDeliveryView> Sent);

/// <summary>The sent list's date filter, read the same way by the API and the command line.</summary>
public static class AlertDates
{
    private static readonly LocalDatePattern Iso = LocalDatePattern.Iso;

    public static string Text(LocalDate date) => Iso.Format(date);

    /// <summary>
    /// <c>from</c> and <c>to</c> (<c>yyyy-MM-dd</c>, the council-local dates the messages were for, inclusive); a
    /// problem is added under the field's name (prefixed, e.g. <c>--from</c>, by the command line).
    /// </summary>
    public static (LocalDate? From, LocalDate? To) Range(string? from, string? to, FieldProblems problems, string prefix = "")
    {
        var f = Date(from, prefix + "from", problems);
        var t = Date(to, prefix + "to", problems);
        if (f is { } a && t is { } b && a > b) problems.Add(prefix + "to", "must not be before from");
        return (f, t);
    }

    private static LocalDate? Date(string? text, string field, FieldProblems problems)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var result = Iso.Parse(text.Trim());
        if (result.Success) return result.Value;
        problems.Add(field, $"'{Domain.Events.DoorLimits.Shown(text)}' is not a date (yyyy-MM-dd)");
        return null;
    }

    /// <summary>A JSON value a client may send as a number or as text (<c>within</c>: 2 or "2"); null when absent.</summary>
    public static string? TextOf(JsonElement body, string name, FieldProblems problems)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        switch (value.ValueKind)
        {
            case JsonValueKind.String: return value.GetString();
            case JsonValueKind.Number: return value.GetRawText();
            default:
                problems.Add(name, "must be text" + (name == "within" ? " or a number" : ""));
                return null;
        }
    }
}
