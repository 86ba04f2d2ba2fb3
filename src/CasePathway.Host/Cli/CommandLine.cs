using System.CommandLine;
using CasePathway.Host.Features.BreachList;
using CasePathway.Host.Features.Calendar;
using CasePathway.Host.Features.ChildPathway;
using CasePathway.Host.Features.Import;
using CasePathway.Host.Features.ProjectionsAdmin;

namespace CasePathway.Host.Cli;

/// <summary>The command tree of docs/contract.md. Each command group lives in its own file.</summary>
public static class CommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("CasePathway: statutory timescales in children's social care, from the pathway's events.");
        // Command groups register here, one line each.
        root.Subcommands.Add(CalendarCommands.Create());
        root.Subcommands.Add(BreachCommands.Create());
        root.Subcommands.Add(ReportCommands.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(ProjectionCommands.Create());
        root.Subcommands.Add(DemoCommands.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(ImportCommands.Create());
        root.Subcommands.Add(Features.Alerts.AlertCommands.Create());
        foreach (var command in AccessCommands.Create()) root.Subcommands.Add(command);
        foreach (var command in CritterStackCommands.Create()) root.Subcommands.Add(command);
        return root;
    }
}
