using CasePathway.Domain.Clocks;
using CasePathway.Host.Output;

namespace CasePathway.Host.Features.BreachList;

/// <summary>
/// The breach list as CSV in the contract's columns and order — the one writer behind both the page's
/// export (<c>/breaches.csv</c>) and <c>breaches --format csv</c>, so the two agree byte for byte. The reason for
/// delay (the council's code and the note) follows the contract's columns, which keep their names and order.
/// </summary>
public static class BreachCsv
{
    public static readonly string[] Columns = ["tenant", "child", "rule", "episode", "team", "worker", "started", "due", "status", "remaining", "reason", "reasonNote"];

    /// <summary>Written by the app as numbers (negative once overdue); every other column is text.</summary>
    public static readonly IReadOnlySet<string> NumericColumns = new HashSet<string> { "remaining" };

    public static string Write(IEnumerable<BreachRow> rows) => CsvText.Write(Columns, rows.Select(Row), NumericColumns);

    public static void Write(TextWriter writer, IEnumerable<BreachRow> rows) => CsvText.Write(writer, Columns, rows.Select(Row), NumericColumns);

    public static Task WriteAsync(TextWriter writer, IAsyncEnumerable<BreachRow> rows, CancellationToken ct) =>
        CsvText.WriteAsync(writer, Columns, Rows(rows, ct), NumericColumns, ct);

    private static async IAsyncEnumerable<IReadOnlyList<string?>> Rows(IAsyncEnumerable<BreachRow> rows, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var row in rows.WithCancellation(ct)) yield return Row(row);
    }

    public static IReadOnlyList<string?> Row(BreachRow r) =>
        [r.Tenant, r.Child, r.Rule, r.Episode, r.Team, r.Worker, r.Started, r.Due, r.Status.Name(), r.Remaining, r.Reason?.Code, r.Reason?.Note];
}
