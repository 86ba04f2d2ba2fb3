using CasePathway.Domain.Rules;
using CasePathway.Domain.Clocks;
using System.CommandLine;
using CasePathway.Domain.Calendar;
using CasePathway.Domain.Events;
using CasePathway.Host.Cli;
using CasePathway.Host.Runtime;

namespace CasePathway.Host.Features.ChildPathway;

/// <summary><c>replay CHILD --tenant LA [--as-at T] [--format json|table]</c>: a child's timeline and clocks as they stood.</summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        var child = new Argument<string>("child") { Description = "The child's id within the tenant." };
        var tenant = new Option<string>("--tenant") { Description = "The local authority.", Required = true };
        var asAt = CliOutput.AsAtOption();
        var format = CliOutput.FormatOption("table", "table", "json");
        var command = new Command("replay", "A child's timeline and clocks, as known at an instant, with what was recorded later.") { child, tenant, asAt, format };
        command.SetAction((parse, ct) => CliOutput.Guard(parse, async () =>
        {
            var at = CliOutput.AsAt(parse, asAt);
            await using var runtime = await CasePathwayRuntime.OpenAsync(ct: ct);
            var pathway = await runtime.Replay.GetAsync(CliOutput.Id(parse, tenant), CliOutput.Id("child", parse.GetValue(child), DoorLimits.ChildProblem), at, ct);
            if (pathway is null)
            {
                await CliOutput.Error(parse).WriteLineAsync($"replay: tenant {parse.GetValue(tenant)} has no child {parse.GetValue(child)}");
                return 1;
            }
            if (parse.GetValue(format) == "json")
            {
                CliOutput.WriteJson(parse, pathway);
                return 0;
            }
            var when = Domain.Time.OccurrenceText.Format(pathway.AsAt);
            CliOutput.WriteTable(parse, $"{pathway.Child} ({pathway.Tenant}) as at {when}; allocated to {pathway.Team ?? "no team"} / {pathway.Worker ?? "no worker"}",
                ["occurred", "recorded", "late (WD)", "type", "recorded by", "retracted"],
                pathway.Timeline.Select(e => (IReadOnlyList<string?>)[e.OccurredAt, e.RecordedAt, e.RecordedLateByWorkingDays.ToString(), e.Type, e.RecordedBy, e.Retracted ? "retracted" : ""]));
            CliOutput.WriteTable(parse, "clocks",
                ["rule", "episode", "started", "due", "stopped", "status", "elapsed", "explanation"],
                pathway.Clocks.Select(c => (IReadOnlyList<string?>)[c.Rule, c.Episode, c.Started, c.Due, c.Stopped, c.Status.Name(), $"{ElapsedAmount.Text(c.Elapsed)} {c.Unit.Name()}", c.Explanation]));
            if (pathway.RecordedLater.Count > 0)
                CliOutput.WriteTable(parse, $"recorded after {when}",
                    ["occurred", "recorded", "late (WD)", "type", "recorded by"],
                    pathway.RecordedLater.Select(e => (IReadOnlyList<string?>)[e.OccurredAt, e.RecordedAt, e.RecordedLateByWorkingDays.ToString(), e.Type, e.RecordedBy]));
            return 0;
        }));
        return command;
    }
}
