using System.CommandLine;
using CasePathway.Domain.Calendar;
using CasePathway.Host.Runtime;
using CasePathway.Projections.Queries;

namespace CasePathway.Host.Cli;

/// <summary><c>report clocks …</c> and <c>report late-recordings …</c>; the scorecard registers here too.</summary>
public static class ReportCommands
{
    public static readonly string[] ClockCsvColumns = ["tenant", "child", "rule", "episode", "started", "due", "stopped", "status", "elapsed", "unit", "team", "worker"];

    /// <summary>Elapsed is negative when a stop was recorded before its start's date; it stays a number in a spreadsheet.</summary>
    public static readonly IReadOnlySet<string> ClockCsvNumericColumns = new HashSet<string> { "elapsed" };

    public static Command Create()
    {
        var report = new Command("report", "Reports over a tenant's clocks.");
        report.Subcommands.Add(Clocks());
        report.Subcommands.Add(LateRecordings());
        report.Subcommands.Add(ScorecardCommand.Create());
        return report;
    }

    private static Command Clocks()
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
        [c.Tenant, c.Child, c.Rule, c.Episode, c.Started, c.Due, c.Stopped, c.Status, ElapsedAmount.Text(c.Elapsed), c.Unit, c.Team, c.Worker];

    private static Command LateRecordings()
    {
        var tenant = new Option<string>("--tenant") { Description = "The local authority.", Required = true };
        var days = new Option<int>("--days") { Description = "Recorded more than this many working days after it happened (default 2).", DefaultValueFactory = _ => 2 };
        var format = CliOutput.FormatOption("table", "table", "csv", "json");
        var command = new Command("late-recordings", "Events recorded more than N working days after they happened, by team.") { tenant, days, format };
        command.SetAction((parse, ct) => CliOutput.Guard(parse, async () =>
        {
            if (parse.GetValue(days) < 0) throw new UsageException("--days: must be 0 or more working days");
            await using var runtime = await CasePathwayRuntime.OpenAsync(ct: ct);
            await runtime.CatchUpAsync(ct);
            var report = await runtime.LateRecordings.GetAsync(CliOutput.Id(parse, tenant), parse.GetValue(days), ct);
            string[] header = ["team", "events", "recorded late", "share", "worst (working days)"];
            var rows = report.Select(r => (IReadOnlyList<string?>)[r.Team ?? "(unallocated)", r.Events.ToString(), r.Late.ToString(), $"{r.Share:0.0}%", r.WorstLateWorkingDays.ToString()]);
            switch (parse.GetValue(format))
            {
                case "json": CliOutput.WriteJson(parse, report); break;
                case "csv": CliOutput.WriteCsv(parse, ["team", "events", "late", "share", "worst"], rows, new HashSet<string> { "events", "late", "worst" }); break;
                default: CliOutput.WriteTable(parse, $"recorded more than {parse.GetValue(days)} working days late", header, rows); break;
            }
            return 0;
        }));
        return command;
    }
}
