using System.CommandLine;
using CasePathway.Host.Cli;
using CasePathway.Host.Runtime;
using CasePathway.Import.Demo;
using CasePathway.Store.Marten;
using CasePathway.Store.Pathways;

namespace CasePathway.Host.Features.Import;

/// <summary><c>demo load [--tenant demo] [--children N]</c>: the seeded synthetic dataset <c>ops/run</c> shows.</summary>
public static class DemoCommands
{
    public static Command Create()
    {
        var demo = new Command("demo", "The synthetic demonstration dataset (no real person is in it).");
        var tenant = new Option<string>("--tenant") { Description = "Tenant to load it into (default: demo).", DefaultValueFactory = _ => "demo" };
        var children = new Option<int>("--children") { Description = "How many children (default 2000).", DefaultValueFactory = _ => 2000 };
        var load = new Command("load", "Load the demo dataset, ending now, unless the tenant already has events.") { tenant, children };
        load.SetAction((parse, ct) => CliOutput.Guard(parse, async () =>
        {
            if (parse.GetValue(children) is < 1 or > 100_000) throw new UsageException("--children: must be from 1 to 100000");
            await using var runtime = await CasePathwayRuntime.OpenAsync(ct: ct);
            var name = CliOutput.Id(parse, tenant);
            if (await TenantHasEventsAsync(runtime, name, ct))
            {
                if (await CasePathway.Host.Cli.AccessCommands.AddCouncilsWithEventsAsync(runtime.DataSource, "casepathway demo load", ct) is { Count: > 0 } configured)
                    await CliOutput.Out(parse).WriteLineAsync($"demo: councils added: {string.Join(", ", configured)}");
                await CliOutput.Out(parse).WriteLineAsync($"demo: tenant {name} already has events; nothing loaded");
                return 0;
            }
            var events = DemoPathways.Generate(name, runtime.Clock.GetCurrentInstant(), parse.GetValue(children));
            var result = await runtime.Appender.AppendAsync(events, AppendSource.Import, allOrNothing: false, ct: ct);
            if (result.Rejected.FirstOrDefault() is { } bad)
                throw new InvalidOperationException($"demo: generated event {bad.Event.Id} was refused: {bad.Problems[0].Field}: {bad.Problems[0].Message}");
            await runtime.CatchUpAsync(ct);
            var reasons = await RecordReasonsAsync(runtime, name, ct);
            if (await CasePathway.Host.Cli.AccessCommands.AddCouncilsWithEventsAsync(runtime.DataSource, "casepathway demo load", ct) is { Count: > 0 } added)
                await CliOutput.Out(parse).WriteLineAsync($"demo: councils added: {string.Join(", ", added)}");
            await CliOutput.Out(parse).WriteLineAsync($"demo: {result.Appended} events for {events.Select(e => e.Child).Distinct().Count()} children loaded into tenant {name}, with {reasons} reasons for delay");
            return 0;
        }));
        demo.Subcommands.Add(load);
        return demo;
    }

    /// <summary>The reasons for delay the demo shows: one of each default code, with a note, on breached clocks spread through the list.</summary>
    private static readonly (string Code, string Note)[] DemoReasons =
    [
        ("staffing", "Two social workers off sick in the same week; reallocated on return"),
        ("awaiting-partner", "Police could not attend the strategy discussion until the following week"),
        ("family-unavailable", "Family away; visit rebooked for their return"),
        ("recording-delay", "Held on time; written up late after a system outage"),
        ("other", "Interpreter needed for the family and not available sooner"),
    ];

    /// <summary>
    /// Records the demo's reasons for delay as a duty manager does on the pages: an event each, through the one way in,
    /// on breached clocks taken at even steps through the list (so several teams and rules have one).
    /// </summary>
    private static async Task<int> RecordReasonsAsync(CasePathwayRuntime runtime, string tenant, CancellationToken ct)
    {
        var breached = await runtime.BreachList.GetAsync(
            new BreachList.BreachListRequest(tenant, Status: BreachList.BreachStatusFilter.Breached, PageSize: BreachList.BreachListRequest.MaxPageSize), ct);
        if (breached.Rows.Count == 0) return 0;
        var now = runtime.Clock.GetCurrentInstant();
        var step = Math.Max(1, breached.Rows.Count / DemoReasons.Length);
        var recorded = breached.Rows.Where((_, i) => i % step == 0).Take(DemoReasons.Length)
            .Select((row, i) => new Domain.Events.PathwayEvent(
                Guid.NewGuid(), tenant, row.Child, Domain.Time.Occurrence.At(now),
                new Domain.Events.BreachReasonRecorded(row.Rule, row.Episode, DemoReasons[i].Code, DemoReasons[i].Note),
                RecordedAt: now, RecordedBy: "demo-duty-manager", SourceSystem: BreachReasons.BreachReasonModel.SourceSystem))
            .ToList();
        var result = await runtime.Appender.AppendAsync(recorded, AppendSource.Live, allOrNothing: true, ct: ct);
        if (result.Rejected.FirstOrDefault() is { } bad)
            throw new InvalidOperationException($"demo: reason for delay {bad.Event.Id} was refused: {bad.Problems[0].Field}: {bad.Problems[0].Message}");
        await runtime.CatchUpAsync(ct);
        return recorded.Count;
    }

    private static async Task<bool> TenantHasEventsAsync(CasePathwayRuntime runtime, string tenant, CancellationToken ct)
    {
        await using var cmd = runtime.DataSource.CreateCommand($"select exists (select 1 from {EventStoreOptions.SchemaName}.mt_streams where tenant_id = $1)");
        cmd.Parameters.Add(new() { Value = tenant });
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
