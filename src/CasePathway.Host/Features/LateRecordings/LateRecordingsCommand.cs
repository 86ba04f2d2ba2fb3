using System.CommandLine;
using CasePathway.Host.Cli;
using CasePathway.Host.Runtime;

namespace CasePathway.Host.Features.LateRecordings;

/// <summary><c>report late-recordings --tenant LA [--days N] [--format table|csv|json]</c>.</summary>
public static class LateRecordingsCommand
{
    public static Command Create()
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
