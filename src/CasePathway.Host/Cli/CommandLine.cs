using System.CommandLine;

namespace CasePathway.Host.Cli;

/// <summary>The command tree of docs/contract.md. Each command group lives in its own file.</summary>
public static class CommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("CasePathway: statutory timescales in children's social care, from the pathway's events.");
        // Command groups register here, one line each.
        root.Subcommands.Add(ImportCommands.Create());
        return root;
    }
}
