using CasePathway.Domain.Events;
using NodaTime;
using NodaTime.Text;

namespace CasePathway.Host.Web;

/// <summary>
/// The query parameters and route values the GET routes and pages share, held to the same limits as the
/// events (<see cref="DoorLimits"/>): a value no event could carry (a NUL, a megabyte, a tenant with a
/// slash, the year 1) is a 400 naming the parameter, never a query that fails in the database or the calendar.
/// Each method returns the trimmed value, or null after adding the problem.
/// </summary>
public static class QueryParameters
{
    public static string? Tenant(FieldProblems problems, string? value, bool required = true, string field = "tenant")
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) problems.Add(field, "is required: choose the local authority");
            return null;
        }
        return Checked(problems, field, value.Trim(), DoorLimits.TenantProblem);
    }

    public static string? Child(FieldProblems problems, string? value, string field = "child") =>
        string.IsNullOrWhiteSpace(value) ? null : Checked(problems, field, value.Trim(), DoorLimits.ChildProblem);

    /// <summary>A name the app itself defines (a rule, an indicator): bounded like any id.</summary>
    public static string? Key(FieldProblems problems, string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : Checked(problems, field, value.Trim(), DoorLimits.KeyProblem);

    /// <summary>Free text matched against the events' (a team, a worker).</summary>
    public static string? Text(FieldProblems problems, string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : Checked(problems, field, value.Trim(), DoorLimits.FreeTextProblem);

    public static Instant? AsAt(FieldProblems problems, string? value, string field = "asAt")
    {
        if (AsAtText.TryParse(value, out var asAt, out var problem)) return asAt;
        problems.Add(field, problem ?? AsAtText.Problem);
        return null;
    }

    /// <summary>A month as YYYY-MM inside the accepted dates; null when absent or refused.</summary>
    public static YearMonth? Month(FieldProblems problems, string? value, bool required, string field = "month")
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) problems.Add(field, "is required, as YYYY-MM (such as 2022-10)");
            return null;
        }
        var parsed = YearMonthPattern.Iso.Parse(value.Trim());
        if (!parsed.Success)
        {
            problems.Add(field, $"'{DoorLimits.Shown(value.Trim())}' is not a month: use YYYY-MM (such as 2022-10)");
            return null;
        }
        if (DoorLimits.MonthProblem(parsed.Value) is { } problem)
        {
            problems.Add(field, problem);
            return null;
        }
        return parsed.Value;
    }

    private static string? Checked(FieldProblems problems, string field, string value, Func<string, string?> check)
    {
        if (check(value) is not { } problem) return value;
        problems.Add(field, problem);
        return null;
    }
}
