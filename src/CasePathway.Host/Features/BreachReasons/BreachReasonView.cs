using CasePathway.Domain.Clocks;
using CasePathway.Domain.Time;
using NodaTime;
using Npgsql;

namespace CasePathway.Host.Features.BreachReasons;

/// <summary>
/// A clock's reason for delay as shown beside it (breach list, child page, CSV, JSON): the council's code, the
/// label its list gives that code, the note, and who recorded it when.
/// </summary>
public sealed record BreachReasonView(string Code, string Label, string? Note, string? RecordedBy, string RecordedAt)
{
    public static BreachReasonView Of(BreachReason reason, BreachReasonList list) =>
        new(reason.Code, list.LabelOf(reason.Code), reason.Note, reason.RecordedBy, OccurrenceText.Format(reason.RecordedAt));

    /// <summary>The columns <see cref="Read"/> expects from a <c>breach_reasons</c> row, prefixed by <paramref name="alias"/>.</summary>
    public static string Columns(string alias) => $"{alias}.reason, {alias}.note, {alias}.recorded_by, {alias}.recorded_at";

    /// <summary>The reason read from <see cref="Columns"/> starting at <paramref name="first"/>; null when the clock has none.</summary>
    public static BreachReasonView? Read(NpgsqlDataReader r, int first, BreachReasonList list)
    {
        if (r.IsDBNull(first)) return null;
        var code = r.GetString(first);
        return new BreachReasonView(code, list.LabelOf(code), r.IsDBNull(first + 1) ? null : r.GetString(first + 1),
            r.IsDBNull(first + 2) ? null : r.GetString(first + 2), OccurrenceText.Format(r.GetFieldValue<Instant>(first + 3)));
    }

    /// <summary>
    /// The lateral join giving each clock row <c>c</c> its reason in force: now (<paramref name="asAtParameter"/> null)
    /// or as known at the instant in that parameter.
    /// </summary>
    public static string Join(string? asAtParameter) => $"""
        left join lateral (
            select * from breach_reasons b
            where b.tenant = c.tenant and b.child = c.child and b.rule = c.rule and b.episode = c.episode
              and {(asAtParameter is null ? "b.known_to is null" : $"b.known_from <= {asAtParameter} and (b.known_to is null or b.known_to > {asAtParameter})")}
            order by b.known_from desc limit 1) r on true
        """;
}
