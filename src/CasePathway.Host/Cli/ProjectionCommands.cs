using System.CommandLine;
using CasePathway.Host.Runtime;

namespace CasePathway.Host.Cli;

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
            var runners = wanted is null ? runtime.Projections : runtime.Projection(wanted) is { } one ? [one] : [];
            if (runners.Count == 0)
                throw new UsageException($"projections rebuild: no projection '{wanted}' (known: {string.Join(", ", runtime.Projections.Select(p => p.Name))})");
            foreach (var runner in runners)
            {
                var started = DateTime.UtcNow;
                await runner.RebuildAsync(ct);
                var status = await runner.StatusAsync(ct);
                await CliOutput.Out(parse).WriteLineAsync($"{runner.Name}: rebuilt to position {status.Position} in {(DateTime.UtcNow - started).TotalSeconds:0.0}s");
            }
            return 0;
        }));

        var format = CliOutput.FormatOption("table", "table", "json");
        var status = new Command("status", "Each projection's position, the high-water mark and the lag.") { format };
        status.SetAction((parse, ct) => CliOutput.Guard(parse, async () =>
        {
            await using var runtime = await CasePathwayRuntime.OpenAsync(ct: ct);
            var statuses = new List<Projections.Runner.ProjectionStatus>();
            foreach (var runner in runtime.Projections) statuses.Add(await runner.StatusAsync(ct));
            if (parse.GetValue(format) == "json") CliOutput.WriteJson(parse, statuses);
            else CliOutput.WriteTable(parse, null, ["projection", "position", "high-water mark", "lag (events)", "owned by a runner", "updated"],
                statuses.Select(s => (IReadOnlyList<string?>)[s.Name, s.Position.ToString(), s.HighWaterMark.ToString(), s.Lag.ToString(), s.Owned ? "yes" : "no", s.UpdatedAt?.ToString("u")]));
            return 0;
        }));

        projections.Subcommands.Add(rebuild);
        projections.Subcommands.Add(status);
        return projections;
    }
}
