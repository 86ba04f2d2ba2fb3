using System.CommandLine;
using CasePathway.Host.Cli;
using CasePathway.Host.Runtime;
using NodaTime;
using NodaTime.Text;

namespace CasePathway.Host.Features.Scorecard;

/// <summary><c>report scorecard --tenant LA --month YYYY-MM [--format json|csv|html]</c> (docs/scorecard.md).</summary>
public static class ScorecardCommand
{
    public static Command Create()
    {
        var tenant = new Option<string>("--tenant") { Description = "The local authority.", Required = true };
        var month = new Option<string>("--month") { Description = "The month reported, YYYY-MM (Europe/London dates).", Required = true };
        var format = CliOutput.FormatOption("json", "json", "csv", "html");
        var command = new Command("scorecard", "The board scorecard for a month: every indicator with its definition, target, benchmarks and direction of travel.") { tenant, month, format };
        command.SetAction((parse, ct) => CliOutput.Guard(parse, async () =>
        {
            var reported = ParseMonth(parse.GetValue(month)!) ?? throw new UsageException($"--month: '{Domain.Events.DoorLimits.Shown(parse.GetValue(month)!)}' is not a month (YYYY-MM, such as 2022-10)");
            if (Domain.Events.DoorLimits.MonthProblem(reported) is { } outside) throw new UsageException($"--month: {outside}");
            await using var runtime = await CasePathwayRuntime.OpenAsync(ct: ct);
            await runtime.CatchUpAsync(ct);
            var report = await runtime.Scorecard.GetAsync(CliOutput.Id(parse, tenant), reported, ct);
            switch (parse.GetValue(format))
            {
                case "csv":
                    CliOutput.WriteCsv(parse, ScorecardFormats.CsvColumns, ScorecardFormats.CsvRows(report), ScorecardFormats.CsvNumericColumns);
                    break;
                case "html":
                    await CliOutput.Out(parse).WriteAsync(ScorecardFormats.Html(report, runtime.Clock.GetCurrentInstant()));
                    break;
                default:
                    CliOutput.WriteJson(parse, report);
                    break;
            }
            return 0;
        }));
        return command;
    }

    /// <summary>A month as YYYY-MM; null when it is not one.</summary>
    public static YearMonth? ParseMonth(string text)
    {
        var parsed = YearMonthPattern.Iso.Parse(text.Trim());
        return parsed.Success ? parsed.Value : null;
    }
}
