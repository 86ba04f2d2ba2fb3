using CasePathway.Domain.Clocks;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Host.Features.BreachList;

/// <summary>How pressing an open clock is, as the breach list tags it.</summary>
public enum BreachUrgency { Overdue, DueToday, DueSoon }

public static class BreachUrgencies
{
    /// <summary>
    /// Overdue once the clock is past due at the list's instant; due today when its due date (London) is
    /// the list's date; otherwise due soon (the list holds only breached clocks and those due within its window).
    /// </summary>
    public static BreachUrgency Of(BreachRow row, Instant evaluatedAt)
    {
        if (row.Status == ClockStatus.Breached || row.OverdueFrom <= evaluatedAt) return BreachUrgency.Overdue;
        var today = London.DateOf(evaluatedAt);
        var dueDate = row.Due.Length >= 10 ? OccurrenceText.ParseDate(row.Due[..10]) : null;
        return dueDate == today ? BreachUrgency.DueToday : BreachUrgency.DueSoon;
    }

    public static string Label(this BreachUrgency urgency) => urgency switch
    {
        BreachUrgency.Overdue => "Overdue",
        BreachUrgency.DueToday => "Due today",
        _ => "Due soon",
    };

    /// <summary>GOV.UK tag colour: red, orange, yellow.</summary>
    public static string TagClass(this BreachUrgency urgency) => urgency switch
    {
        BreachUrgency.Overdue => "govuk-tag--red",
        BreachUrgency.DueToday => "govuk-tag--orange",
        _ => "govuk-tag--yellow",
    };
}
