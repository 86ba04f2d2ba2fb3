using CasePathway.Domain.Clocks;
using System.CommandLine;
using CasePathway.Host.Cli;
using CasePathway.Host.Runtime;

namespace CasePathway.Host.Features.BreachList;

/// <summary><c>breaches --tenant LA [--as-at T] [--team X] [--worker W] [--rule R] [--within N] [--format table|csv|json]</c>.</summary>
public static class BreachCommands
{
    public static Command Create()
    {
        var tenant = new Option<string>("--tenant") { Description = "The local authority.", Required = true };
        var asAt = CliOutput.AsAtOption();
        var team = new Option<string?>("--team") { Description = "Only this team's clocks." };
        var worker = new Option<string?>("--worker") { Description = "Only this worker's clocks." };
        var rule = new Option<string?>("--rule") { Description = "Only this rule (e.g. icpc)." };
        var within = new Option<int>("--within") { Description = "Also clocks due within N working days (default 0: due today).", DefaultValueFactory = _ => 0 };
        var format = CliOutput.FormatOption("table", "table", "csv", "json");
        var command = new Command("breaches", "Open clocks that are breached or due within N working days.") { tenant, asAt, team, worker, rule, within, format };
        command.SetAction((parse, ct) => CliOutput.Guard(parse, async () =>
        {
            if (parse.GetValue(within) < 0) throw new UsageException("--within: must be 0 or more working days");
            var request = new BreachListRequest(CliOutput.Id(parse, tenant), CliOutput.AsAt(parse, asAt), parse.GetValue(team), parse.GetValue(worker), parse.GetValue(rule), parse.GetValue(within));
            await using var runtime = await CasePathwayRuntime.OpenAsync(ct: ct);
            await runtime.CatchUpAsync(ct);
            // the command line has no pages: the whole list, in the list's order
            request = request with { PageSize = BreachListRequest.Unpaged };
            if (parse.GetValue(format) == "csv")
            {
                await BreachCsv.WriteAsync(CliOutput.Out(parse), runtime.BreachList.StreamAsync(request, ct), ct);
                return 0;
            }
            var list = await runtime.BreachList.GetAsync(request, ct);
            switch (parse.GetValue(format))
            {
                case "json":
                    CliOutput.WriteJson(parse, list);
                    break;
                default:
                    CliOutput.WriteTable(parse, $"{list.Tenant}: {list.Rows.Count} clocks breached or due (as at {Domain.Time.OccurrenceText.Format(list.EvaluatedAt)})",
                        ["child", "rule", "episode", "team", "worker", "started", "due", "status", "remaining", "reason for delay"],
                        list.Rows.Select(r => (IReadOnlyList<string?>)[r.Child, r.Rule, r.Episode, r.Team, r.Worker, r.Started, r.Due, r.Status.Name(), r.Remaining,
                            r.Reason is { } why ? why.Label + (why.Note is { Length: > 0 } note ? $": “{note}”" : "") : null]));
                    CliOutput.WriteTable(parse, "counts per rule", ["rule", "clocks"], list.CountsByRule.Select(kv => (IReadOnlyList<string?>)[kv.Key, kv.Value.ToString()]));
                    CliOutput.WriteTable(parse, "counts per team", ["team", "clocks"], list.CountsByTeam.Select(kv => (IReadOnlyList<string?>)[kv.Key, kv.Value.ToString()]));
                    break;
            }
            return 0;
        }));
        return command;
    }
}
