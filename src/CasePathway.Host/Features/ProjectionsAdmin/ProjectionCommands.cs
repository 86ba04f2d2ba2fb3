using System.CommandLine;
using CasePathway.Domain.Events;
using CasePathway.Host.Cli;
using CasePathway.Host.Runtime;

namespace CasePathway.Host.Features.ProjectionsAdmin;

/// <summary><c>projections rebuild [NAME]</c>, <c>projections status</c>, <c>projections parked</c> and <c>projections retry CHILD</c>.</summary>
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
            // All of them in one pass: each child is read once for every read model, in one transaction.
            var started = DateTime.UtcNow;
            var position = await runtime.Projections.RebuildAsync(chosen, ct: ct);
            foreach (var projection in chosen)
                await CliOutput.Out(parse).WriteLineAsync($"{projection.Name}: rebuilt to position {position} in {(DateTime.UtcNow - started).TotalSeconds:0.0}s");
            return 0;
        }));

        var format = CliOutput.FormatOption("table", "table", "json");
        var status = new Command("status", "Each projection's position (Marten's progression), the highest committed sequence and the lag.") { format };
        status.SetAction((parse, ct) => CliOutput.Guard(parse, async () =>
        {
            await using var runtime = await CasePathwayRuntime.OpenAsync(ct: ct);
            var statuses = await runtime.Projections.StatusAsync(ct);
            if (parse.GetValue(format) == "json") CliOutput.WriteJson(parse, statuses);
            else
            {
                CliOutput.WriteTable(parse, null, ["projection", "position", "high-water mark", "lag (events)", "run by a daemon", "updated", "parked children"],
                    statuses.Select(s => (IReadOnlyList<string?>)[s.Name, s.Position.ToString(), s.HighWaterMark.ToString(), s.Lag.ToString(), s.Running ? "yes" : "no", s.UpdatedAt?.ToString("u"), s.Parked.ToString()]));
                if (statuses.Any(s => s.Parked > 0))
                    await CliOutput.Out(parse).WriteLineAsync("Parked children keep their last rows: `casepathway projections parked` lists them (docs/operations.md).");
            }
            return 0;
        }));

        var parkedTenant = new Option<string?>("--tenant") { Description = "Only this local authority's." };
        var parkedFormat = CliOutput.FormatOption("table", "table", "json");
        var parked = new Command("parked", "Children a projection could not fold, set aside with the error (every other child carries on).") { parkedTenant, parkedFormat };
        parked.SetAction((parse, ct) => CliOutput.Guard(parse, async () =>
        {
            var tenant = parse.GetValue(parkedTenant) is { } given ? CliOutput.Id("--tenant", given, DoorLimits.TenantProblem) : null;
            await using var runtime = await CasePathwayRuntime.OpenAsync(ct: ct);
            var list = await runtime.Projections.ParkedAsync(tenant, ct);
            if (parse.GetValue(parkedFormat) == "json") CliOutput.WriteJson(parse, list);
            else CliOutput.WriteTable(parse, null, ["projection", "tenant", "child", "parked at", "error"],
                list.Select(p => (IReadOnlyList<string?>)[p.Projection, p.Tenant, p.Child, p.ParkedAt.ToString("u"), p.Error]));
            return 0;
        }));

        var child = new Argument<string>("child") { Description = "The child's id in the council's case system." };
        var retryTenant = new Option<string>("--tenant") { Description = "The local authority.", Required = true };
        var retry = new Command("retry", "Fold one child again in every projection: unparked if it now folds, else still parked with the error.") { child, retryTenant };
        retry.SetAction((parse, ct) => CliOutput.Guard(parse, async () =>
        {
            var tenant = CliOutput.Id(parse, retryTenant);
            var id = CliOutput.Id("child", parse.GetValue(child), DoorLimits.ChildProblem);
            await using var runtime = await CasePathwayRuntime.OpenAsync(ct: ct);
            IReadOnlyList<CasePathway.Projections.Daemon.RetryOutcome> outcomes;
            try
            {
                outcomes = await runtime.Projections.RetryAsync(tenant, id, ct);
            }
            catch (KeyNotFoundException e)
            {
                throw new UsageException($"child: {e.Message}");
            }
            foreach (var o in outcomes)
                await CliOutput.Out(parse).WriteLineAsync(o.StillParked ? $"{o.Projection}: still parked: {o.Error}" : $"{o.Projection}: folded");
            return outcomes.Any(o => o.StillParked) ? 1 : 0;
        }));

        projections.Subcommands.Add(rebuild);
        projections.Subcommands.Add(status);
        projections.Subcommands.Add(parked);
        projections.Subcommands.Add(retry);
        return projections;
    }
}
