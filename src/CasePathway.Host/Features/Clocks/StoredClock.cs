using CasePathway.Domain.Calendar;
using CasePathway.Domain.Clocks;
using CasePathway.Domain.Rules;
using CasePathway.Domain.Time;
using NodaTime;
using Npgsql;

namespace CasePathway.Host.Features.Clocks;

/// <summary>A clock version read back from <c>clock_versions</c>, with its inputs as domain values.</summary>
public sealed record StoredClock(
    string Tenant,
    string Child,
    string Rule,
    string RuleTitle,
    string Episode,
    TimeUnit Unit,
    string? Team,
    string? Worker,
    Occurrence Started,
    Deadline Due,
    Instant OverdueFrom,
    Occurrence? Stopped,
    Occurrence? Cancelled,
    bool NotMeasurable,
    string Explanation)
{
    /// <summary>The columns <see cref="Read"/> expects, in order.</summary>
    public const string Columns =
        "tenant, child, rule, rule_title, episode, unit, team, worker, started_at, started_on, due_on, due_local, due_at, " +
        "overdue_from, stopped_at, stopped_on, cancelled_on, not_measurable, explanation, cancelled_at";

    /// <summary>How many columns <see cref="Columns"/> names (a query may read more after them).</summary>
    public const int ColumnCount = 20;

    public ClockStatus StatusAt(Instant at) => ClockStatuses.At(Due, Stopped, Cancelled, NotMeasurable, at);

    public static StoredClock Read(NpgsqlDataReader r)
    {
        var unit = TimeUnitNames.Parse(r.GetString(5)) ?? throw new InvalidDataException($"clock_versions: unknown unit '{r.GetString(5)}'");
        var started = ReadOccurrence(r, 8, 9)!.Value;
        LocalDateTime? dueLocal = r.IsDBNull(11) ? null : r.GetFieldValue<LocalDateTime>(11);
        Instant? dueAt = r.IsDBNull(12) ? null : r.GetFieldValue<Instant>(12);
        var due = new Deadline(unit, r.GetFieldValue<LocalDate>(10), dueLocal, dueAt);
        return new StoredClock(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), unit,
            r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7),
            started, due, r.GetFieldValue<Instant>(13),
            ReadOccurrence(r, 14, 15),
            ReadOccurrence(r, 19, 16),
            r.GetBoolean(17), r.GetString(18));
    }

    private static Occurrence? ReadOccurrence(NpgsqlDataReader r, int instantColumn, int dateColumn)
    {
        if (!r.IsDBNull(instantColumn)) return Occurrence.At(r.GetFieldValue<Instant>(instantColumn));
        return r.IsDBNull(dateColumn) ? null : Occurrence.On(r.GetFieldValue<LocalDate>(dateColumn));
    }
}
