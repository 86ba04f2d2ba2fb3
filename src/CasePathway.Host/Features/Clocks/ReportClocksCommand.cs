using CasePathway.Domain.Rules;
using CasePathway.Domain.Clocks;
using System.CommandLine;
using CasePathway.Domain.Calendar;
using CasePathway.Host.Cli;
using CasePathway.Host.Runtime;

namespace CasePathway.Host.Features.Clocks;

/// <summary><c>report clocks --tenant LA [--as-at T] [--format csv|json|table]</c>.</summary>
public static class ReportClocksCommand
{
    public static readonly string[] ClockCsvColumns = ["tenant", "child", "rule", "episode", "started", "due", "stopped", "status", "elapsed", "unit", "team", "worker"];

    /// <summary>Elapsed is negative when a stop was recorded before its start's date; it stays a number in a spreadsheet.</summary>
    public static readonly IReadOnlySet<string> ClockCsvNumericColumns = new HashSet<string> { "elapsed" };

    public static Command Create()
    {
        var tenant = new Option<string>("--tenant") { Description = "The local authority.", Required = true };
        var asAt = CliOutput.AsAtOption();
        var format = CliOutput.FormatOption("csv", "csv", "json", "table");
        var command = new Command("clocks", "Every clock of the tenant, with status and elapsed time in the rule's unit.") { tenant, asAt, format };
        command.SetAction((parse, ct) => CliOutput.Guard(parse, async () =>
        {
            var at = CliOutput.AsAt(parse, asAt);
            await using var runtime = await CasePathwayRuntime.OpenAsync(ct: ct);
            await runtime.CatchUpAsync(ct);
            var clocks = await runtime.ClockReport.GetAsync(CliOutput.Id(parse, tenant), at, ct: ct);
            switch (parse.GetValue(format))
            {
                case "json":
                    CliOutput.WriteJson(parse, clocks);
                    break;
                case "table":
                    CliOutput.WriteTable(parse, null, ClockCsvColumns[1..], clocks.Select(c => Row(c).Skip(1).ToList()));
                    break;
                default:
                    CliOutput.WriteCsv(parse, ClockCsvColumns, clocks.Select(Row), ClockCsvNumericColumns);
                    break;
            }
            return 0;
        }));
        return command;
    }

    private static IReadOnlyList<string?> Row(ClockView c) =>
        [c.Tenant, c.Child, c.Rule, c.Episode, c.Started, c.Due, c.Stopped, c.Status.Name(), ElapsedAmount.Text(c.Elapsed), c.Unit.Name(), c.Team, c.Worker];
}
