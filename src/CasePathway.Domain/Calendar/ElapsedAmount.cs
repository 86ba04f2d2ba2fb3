using System.Globalization;

namespace CasePathway.Domain.Calendar;

/// <summary>
/// Elapsed amounts as the conventions give them (docs/conventions.md, "Hours"): two decimal places, half
/// away from zero. The one rounding and the one text form of an amount, for the fold, explanations, the
/// command line and the API alike; whole units (working days, days, months) are unchanged by it.
/// </summary>
public static class ElapsedAmount
{
    /// <summary>
    /// Rounded to two decimal places, half away from zero, without trailing zeros (72, not 72.00, so JSON
    /// writes it as people read it). Status never comes from this figure, only from the due moment.
    /// </summary>
    public static decimal Round(decimal amount)
    {
        var rounded = Math.Round(amount, 2, MidpointRounding.AwayFromZero);
        // Dividing by 1.00…0 drops trailing zeros; -0.001 rounds to a zero that must not print as "-0".
        return rounded == 0m ? 0m : rounded / 1.000000000000000000000000000000000m;
    }

    /// <summary>The amount as text: "71.98", "72", "-3.5" (invariant culture, rounded as <see cref="Round"/>).</summary>
    public static string Text(decimal amount) => Round(amount).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>"71.98 working hours", "1 working day": the amount with its unit's words, singular for exactly one.</summary>
    public static string Text(decimal amount, TimeUnit unit)
    {
        var rounded = Round(amount);
        return $"{Text(rounded)} {Words(unit, rounded)}";
    }

    /// <summary>Below this many hours an hour rule's time left or overdue is said in hours; from it, in whole days.</summary>
    public const decimal HoursShownUpTo = 48m;

    /// <summary>
    /// An amount of time left or overdue as a manager says it: hour rules in hours below two days
    /// ("5 working hours", "47.5 hours"), and in whole days from then on ("279 working days" rather than
    /// "6718 working hours"; a working day holds 24 working hours, docs/conventions.md); every other unit
    /// as <see cref="Text(decimal, TimeUnit)"/>. Days are counted down, so "2 working days" means at least two.
    /// </summary>
    public static string Spoken(decimal amount, TimeUnit unit)
    {
        var rounded = Round(amount);
        if (unit is not (TimeUnit.WorkingHours or TimeUnit.ElapsedHours) || rounded < HoursShownUpTo) return Text(amount, unit);
        var days = Math.Floor(rounded / 24m);
        return Text(days, unit == TimeUnit.WorkingHours ? TimeUnit.WorkingDays : TimeUnit.CalendarDays);
    }

    /// <summary>"working days", "hours", singular for exactly one.</summary>
    public static string Words(TimeUnit unit, decimal amount)
    {
        var plural = amount != 1m;
        return unit switch
        {
            TimeUnit.WorkingDays => plural ? "working days" : "working day",
            TimeUnit.WorkingHours => plural ? "working hours" : "working hour",
            TimeUnit.ElapsedHours => plural ? "hours" : "hour",
            TimeUnit.CalendarDays => plural ? "days" : "day",
            TimeUnit.CalendarMonths => plural ? "months" : "month",
            _ => unit.ToString(),
        };
    }
}
