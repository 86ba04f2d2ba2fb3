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
            // the timeline and the clocks in the words of the child's page; the types and ISO times are in --format json
            var everything = pathway.Timeline.Concat(pathway.RecordedLater).ToList();
            CliOutput.WriteTable(parse, $"{pathway.Child} ({pathway.Tenant}) as at {when}; allocated to {pathway.Team ?? "no team"} / {pathway.Worker ?? "no worker"}",
                ["when", "what", "reference", "recorded", "recorded by", "retracted"],
                TimelineLines.Of(pathway.Timeline, everything).Select(l => (IReadOnlyList<string?>)[l.When, l.What, l.Reference, l.Recording, l.Entry.RecordedBy, l.Entry.Retracted ? "retracted" : ""]));
            CliOutput.WriteTable(parse, "clocks",
                ["rule", "episode", "started", "due", "stopped", "status", "elapsed", "reason for delay"],
                pathway.Clocks.Select(c => (IReadOnlyList<string?>)[c.Rule, c.Episode, PathwayPicture.Words(c.Started), PathwayPicture.Words(c.Due),
                    c.Stopped is { } stopped ? PathwayPicture.Words(stopped) : null, Web.Display.StatusLabel(c.Status), ElapsedAmount.Text(c.Elapsed, c.Unit), c.Reason?.Label]));
            // an explanation is a paragraph: a table column would wrap it into a narrow strip
            var output = CliOutput.Out(parse);
            foreach (var c in pathway.Clocks) output.WriteLine($"{c.Rule} {c.Episode}: {c.Explanation}");
            if (pathway.RecordedLater.Count > 0)
                CliOutput.WriteTable(parse, $"recorded after {when}",
                    ["when", "what", "reference", "recorded", "recorded by"],
                    TimelineLines.Of(pathway.RecordedLater, everything).Select(l => (IReadOnlyList<string?>)[l.When, l.What, l.Reference, l.Recording, l.Entry.RecordedBy]));
            return 0;
        }));
        return command;
    }
}
