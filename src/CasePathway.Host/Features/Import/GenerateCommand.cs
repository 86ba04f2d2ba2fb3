using System.CommandLine;
using System.Text;
using CasePathway.Domain.Events;
using CasePathway.Host.Cli;
using CasePathway.Host.Runtime;
using CasePathway.Import;
using CasePathway.Import.Demo;
using NodaTime;

namespace CasePathway.Host.Features.Import;

/// <summary>
/// <c>generate --councils N --children M --years Y --seed S [--out FILE.jsonl]</c>: synthetic councils at
/// England's scale, for benchmarks and trials. Each council's children are made one at a time and written
/// as they come (a JSON Lines file, or the store in chunks through the one way in), so memory does not grow
/// with the size asked for.
/// </summary>
public static class GenerateCommand
{
    /// <summary>Children appended per call of the one way in: the appender's own import chunk.</summary>
    private const int ChildrenPerAppend = 500;

    public static Command Create()
    {
        var councils = new Option<int>("--councils") { Description = "How many councils (default 1).", DefaultValueFactory = _ => 1 };
        var children = new Option<int>("--children") { Description = "Children in each council (default 10000).", DefaultValueFactory = _ => 10_000 };
        var years = new Option<int>("--years") { Description = "Years of contacts before now (default 1).", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same arguments give the same events and ids (default 1).", DefaultValueFactory = _ => 1 };
        var prefix = new Option<string>("--prefix") { Description = "Council ids are the prefix and a number: gen001, gen002… (default gen).", DefaultValueFactory = _ => "gen" };
        var output = new Option<string?>("--out") { Description = "Write JSON Lines envelopes to this file (for import events) instead of the store." };
        var command = new Command("generate", "Generate synthetic councils shaped like a real front door (no real person is in them).")
        {
            councils, children, years, seed, prefix, output,
        };
        command.SetAction((parse, ct) => CliOutput.Guard(parse, async () =>
        {
            var (n, m, y) = (parse.GetValue(councils), parse.GetValue(children), parse.GetValue(years));
            if (n is < 1 or > 999) throw new UsageException("--councils: must be from 1 to 999");
            if (m is < 1 or > 10_000_000) throw new UsageException("--children: must be from 1 to 10000000");
            if (y is < 1 or > 20) throw new UsageException("--years: must be from 1 to 20");
            var names = Enumerable.Range(1, n).Select(i => $"{parse.GetValue(prefix)}{i:000}").ToList();
            foreach (var name in names) CliOutput.Id("--prefix", name, DoorLimits.TenantProblem);
            var now = Settings.Clock().GetCurrentInstant();

            var file = parse.GetValue(output);
            var volumes = file is null
                ? await IntoStoreAsync(names, m, y, parse.GetValue(seed), now, ct)
                : await IntoFileAsync(file, names, m, y, parse.GetValue(seed), now, ct);

            var stdout = CliOutput.Out(parse);
            var months = y * 12m;
            CliOutput.WriteTable(parse, $"generated {volumes.Sum(v => v.Value.Events)} events for {n * (long)m} children in {n} council(s){(file is null ? "" : $" into {file}")}",
                ["council", "events", "contacts / month", "referrals / month", "strategy discussions / month", "S47 / month", "ICPCs / month"],
                volumes.Select(v => (IReadOnlyList<string?>)[
                    v.Key, v.Value.Events.ToString(), PerMonth(v.Value.Contacts), PerMonth(v.Value.Referrals),
                    PerMonth(v.Value.Strategies), PerMonth(v.Value.Section47s), PerMonth(v.Value.Conferences)]));
            return 0;

            string PerMonth(long count) => Math.Round(count / months).ToString("0");
        }));
        return command;
    }

    private static IEnumerable<IReadOnlyList<PathwayEvent>> Council(string name, int children, int years, int seed, Instant now, int index) =>
        // Each council its own stream of random numbers, so adding councils never changes the earlier ones.
        DemoPathways.Stream(name, now, children, years, HashCode.Combine(seed, index), FrontDoorShape.England);

    private static async Task<Dictionary<string, Volumes>> IntoFileAsync(string path, IReadOnlyList<string> councils, int children, int years, int seed, Instant now, CancellationToken ct)
    {
        var volumes = new Dictionary<string, Volumes>();
        await using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 16);
        for (var i = 0; i < councils.Count; i++)
        {
            var counted = volumes[councils[i]] = new Volumes();
            foreach (var child in Council(councils[i], children, years, seed, now, i))
            {
                ct.ThrowIfCancellationRequested();
                foreach (var e in child)
                {
                    await writer.WriteLineAsync(EventJson.Serialize(e));
                    counted.Add(e);
                }
            }
        }
        return volumes;
    }

    private static async Task<Dictionary<string, Volumes>> IntoStoreAsync(IReadOnlyList<string> councils, int children, int years, int seed, Instant now, CancellationToken ct)
    {
        var volumes = new Dictionary<string, Volumes>();
        await using var runtime = await CasePathwayRuntime.OpenAsync(ct: ct);
        var chunk = new List<PathwayEvent>();
        for (var i = 0; i < councils.Count; i++)
        {
            var counted = volumes[councils[i]] = new Volumes();
            var inChunk = 0;
            foreach (var child in Council(councils[i], children, years, seed, now, i))
            {
                chunk.AddRange(child);
                foreach (var e in child) counted.Add(e);
                if (++inChunk < ChildrenPerAppend) continue;
                await AppendAsync();
                inChunk = 0;
            }
            await AppendAsync();
        }
        await runtime.CatchUpAsync(ct);
        // councils are configured by the operator: generating one into the store configures it
        await AccessCommands.AddCouncilsWithEventsAsync(runtime.DataSource, "casepathway generate", ct);
        return volumes;

        async Task AppendAsync()
        {
            if (chunk.Count == 0) return;
            var counts = await ImportAppend.RunAsync(runtime.Appender, chunk, ct);
            if (counts.Refused.FirstOrDefault() is { } bad)
                throw new InvalidOperationException($"generate: generated event {bad.Event.Id} was refused: {bad.Field}: {bad.Message}");
            chunk.Clear();
        }
    }

    /// <summary>What a council's front door received, to show that the shape asked for is the shape made.</summary>
    private sealed class Volumes
    {
        public long Events, Contacts, Referrals, Strategies, Section47s, Conferences;

        public void Add(PathwayEvent e)
        {
            Events++;
            switch (e.Data)
            {
                case ContactReceived: Contacts++; break;
                case ReferralReceived: Referrals++; break;
                case StrategyDiscussionRequested: Strategies++; break;
                case Section47Started: Section47s++; break;
                case InitialChildProtectionConferenceHeld: Conferences++; break;
            }
        }
    }
}
