using System.Text;
using CasePathway.Projections.Queries;

namespace CasePathway.Host.Web;

/// <summary>The breach list as CSV, in the contract's columns and order (RFC 4180 quoting).</summary>
public static class BreachCsv
{
    public static readonly string[] Columns = ["tenant", "child", "rule", "episode", "team", "worker", "started", "due", "status", "remaining"];

    public static string Write(IEnumerable<BreachRow> rows)
    {
        var text = new StringBuilder();
        text.Append(string.Join(',', Columns)).Append("\r\n");
        foreach (var r in rows)
        {
            string?[] cells = [r.Tenant, r.Child, r.Rule, r.Episode, r.Team, r.Worker, r.Started, r.Due, r.Status, r.Remaining];
            text.Append(string.Join(',', cells.Select(Quote))).Append("\r\n");
        }
        return text.ToString();
    }

    private static string Quote(string? cell)
    {
        if (string.IsNullOrEmpty(cell)) return "";
        // a spreadsheet would run a cell starting = + - @ as a formula; negative numbers stay numbers
        if (cell[0] is '=' or '+' or '@' || (cell[0] == '-' && !(cell.Length > 1 && char.IsAsciiDigit(cell[1])))) cell = "'" + cell;
        return cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
    }
}
