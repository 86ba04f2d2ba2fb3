using System.CommandLine;
using CasePathway.Host.Features.Clocks;
using CasePathway.Host.Features.LateRecordings;
using CasePathway.Host.Features.Scorecard;

namespace CasePathway.Host.Cli;

/// <summary><c>report …</c>: the reports over a tenant's clocks, each command living in its feature's folder.</summary>
public static class ReportCommands
{
    public static Command Create()
    {
        var report = new Command("report", "Reports over a tenant's clocks.");
        report.Subcommands.Add(ReportClocksCommand.Create());
        report.Subcommands.Add(LateRecordingsCommand.Create());
        report.Subcommands.Add(ScorecardCommand.Create());
        return report;
    }

}
