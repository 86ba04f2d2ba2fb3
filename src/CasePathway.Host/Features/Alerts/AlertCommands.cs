using System.CommandLine;
using CasePathway.Host.Cli;
using CasePathway.Host.Runtime;
using CasePathway.Store;

namespace CasePathway.Host.Features.Alerts;

/// <summary>
/// <c>alerts sent|subscriptions</c>: the morning alerts of a council for its operators. Like the account commands they
/// read the database directly, so they see every subscriber's subscriptions (the web shows a person only their own).
/// </summary>
public static class AlertCommands
{
    public static Command Create()
    {
        var group = new Command("alerts", "Morning alerts: what was sent, and who is subscribed.");
        group.Subcommands.Add(Sent());
        group.Subcommands.Add(Subscriptions());
        return group;
    }

    private static Command Sent()
    {
        var tenant = new Option<string>("--tenant") { Description = "The local authority.", Required = true };
        var from = new Option<string?>("--from") { Description = "Only messages for this council-local date or later (yyyy-MM-dd)." };
        var to = new Option<string?>("--to") { Description = "Only messages for this council-local date or earlier (yyyy-MM-dd)." };
        var format = CliOutput.FormatOption("table", "table", "json", "csv");
        var command = new Command("sent", "The morning alerts sent for a council, newest first (as GET /api/alerts/sent).") { tenant, from, to, format };
        command.SetAction((parse, ct) => CliOutput.Guard(parse, async () =>
        {
            var council = CliOutput.Id(parse, tenant);
            var problems = new Web.FieldProblems();
            var (first, last) = AlertDates.Range(parse.GetValue(from), parse.GetValue(to), problems, prefix: "--");
            if (problems.Any) throw new UsageException(string.Join("; ", problems.All().Select(p => $"{p.Field}: {p.Problem}")));
            await using var dataSource = await CasePathwayDatabase.PrepareAsync(Settings.ConnectionString(), ct);
            var sent = (await new AlertSubscriptionQuery(dataSource).SentAsync(council, null, ct, first, last)).Select(AlertDeliveryView.Of).ToList();
            switch (parse.GetValue(format))
            {
                case "json":
                    CliOutput.WriteJson(parse, new AlertsSentList(council, first is { } f ? AlertDates.Text(f) : null, last is { } l ? AlertDates.Text(l) : null, sent));
                    break;
                case "csv": CliOutput.WriteCsv(parse, AlertDeliveryView.Columns, sent.Select(d => d.Row()), AlertDeliveryView.Numeric); break;
                default:
                    CliOutput.WriteTable(parse, $"morning alerts sent for {council}: {sent.Count}", AlertDeliveryView.Columns, sent.Select(d => d.Row()));
                    break;
            }
            return 0;
        }));
        return command;
    }

    private static Command Subscriptions()
    {
        var tenant = new Option<string>("--tenant") { Description = "The local authority.", Required = true };
        var subscriber = new Option<string?>("--subscriber") { Description = "Only this person's (the name they sign in with)." };
        var format = CliOutput.FormatOption("table", "table", "json", "csv");
        var command = new Command("subscriptions", "The live morning alert subscriptions of a council, by team.") { tenant, subscriber, format };
        command.SetAction((parse, ct) => CliOutput.Guard(parse, async () =>
        {
            var council = CliOutput.Id(parse, tenant);
            var who = parse.GetValue(subscriber) is { Length: > 0 } s ? CliOutput.Id("--subscriber", s, t => Domain.Events.DoorLimits.KeyProblem(t ?? "")) : null;
            await using var dataSource = await CasePathwayDatabase.PrepareAsync(Settings.ConnectionString(), ct);
            var live = (await new AlertSubscriptionQuery(dataSource).LiveForAsync(council, who, ct)).Select(AlertSubscriptionView.Of).ToList();
            switch (parse.GetValue(format))
            {
                case "json": CliOutput.WriteJson(parse, live); break;
                case "csv": CliOutput.WriteCsv(parse, AlertSubscriptionView.Columns, live.Select(v => v.Row()), new HashSet<string> { "withinWorkingDays" }); break;
                default: CliOutput.WriteTable(parse, $"live morning alert subscriptions of {council}: {live.Count}", AlertSubscriptionView.Columns, live.Select(v => v.Row())); break;
            }
            return 0;
        }));
        return command;
    }
}
