using System.CommandLine;
using CasePathway.Host.Cli;
using CasePathway.Host.Runtime;

namespace CasePathway.Host.Features.ProjectionsAdmin;

/// <summary><c>projections rebuild [NAME]</c> and <c>projections status</c>.</summary>
public static class ProjectionCommands
{
    public static Command Create()
    {
        var projections = new Command("projections", "The read models kept from the event log.");

        var name = new Argument<string?>("name") { Description = "One projection (default: all).", Arity = ArgumentArity.ZeroOrOne };
        var rebuild = new Command("rebuild", "Empty a projection and replay the whole log into it.") { name };
        rebuild.SetAction((parse, ct) => CliOutput.Guard(parse, async () =>
        {
            await using var runtime = await CasePathwayRuntime.OpenAsync(ct: ct);
            var wanted = parse.GetValue(name);
            var all = runtime.Projections.Projections;
            var chosen = wanted is null ? all : runtime.Projections.Find(wanted) is { } one ? [one] : [];
            if (chosen.Count == 0)
                throw new UsageException($"projections rebuild: no projection '{wanted}' (known: {string.Join(", ", all.Select(p => p.Name))})");
            foreach (var projection in chosen)
            {
                var started = DateTime.UtcNow;
                var position = await runtime.Projections.RebuildAsync(projection, ct: ct);
                await CliOutput.Out(parse).WriteLineAsync($"{projection.Name}: rebuilt to position {position} in {(DateTime.UtcNow - started).TotalSeconds:0.0}s");
            }
            return 0;
        }));

        var format = CliOutput.FormatOption("table", "table", "json");
        var status = new Command("status", "Each projection's position (Marten's progression), the highest committed sequence and the lag.") { format };
        status.SetAction((parse, ct) => CliOutput.Guard(parse, async () =>
        {
            await using var runtime = await CasePathwayRuntime.OpenAsync(ct: ct);
            var statuses = await runtime.Projections.StatusAsync(ct);
            if (parse.GetValue(format) == "json") CliOutput.WriteJson(parse, statuses);
            else CliOutput.WriteTable(parse, null, ["projection", "position", "high-water mark", "lag (events)", "run by a daemon", "updated"],
                statuses.Select(s => (IReadOnlyList<string?>)[s.Name, s.Position.ToString(), s.HighWaterMark.ToString(), s.Lag.ToString(), s.Running ? "yes" : "no", s.UpdatedAt?.ToString("u")]));
            return 0;
        }));

        projections.Subcommands.Add(rebuild);
        projections.Subcommands.Add(status);
        return projections;
    }
}
