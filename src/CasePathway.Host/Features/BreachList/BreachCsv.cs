using CasePathway.Domain.Clocks;
using CasePathway.Host.Output;

namespace CasePathway.Host.Features.BreachList;

/// <summary>
/// The breach list as CSV in the contract's columns and order — the one writer behind both the page's
/// export (<c>/breaches.csv</c>) and <c>breaches --format csv</c>, so the two agree byte for byte.
/// </summary>
public static class BreachCsv
{
    public static readonly string[] Columns = ["tenant", "child", "rule", "episode", "team", "worker", "started", "due", "status", "remaining"];

    /// <summary>Written by the app as numbers (negative once overdue); every other column is text.</summary>
    public static readonly IReadOnlySet<string> NumericColumns = new HashSet<string> { "remaining" };

    public static string Write(IEnumerable<BreachRow> rows) => CsvText.Write(Columns, rows.Select(Row), NumericColumns);

    public static void Write(TextWriter writer, IEnumerable<BreachRow> rows) => CsvText.Write(writer, Columns, rows.Select(Row), NumericColumns);

    public static IReadOnlyList<string?> Row(BreachRow r) =>
        [r.Tenant, r.Child, r.Rule, r.Episode, r.Team, r.Worker, r.Started, r.Due, r.Status.Name(), r.Remaining];
}
