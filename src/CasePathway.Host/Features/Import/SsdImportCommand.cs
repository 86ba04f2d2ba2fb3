using System.CommandLine;
using CasePathway.Host.Cli;
using CasePathway.Host.Runtime;
using CasePathway.Import;
using CasePathway.Import.Ssd;
using NodaTime;
using Npgsql;
using Spectre.Console;

namespace CasePathway.Host.Features.Import;

/// <summary>
/// `import ssd FOLDER --tenant LA [--as-of T] [--vanished retract|keep] [--format json]`: a night's Standard
/// Safeguarding Dataset snapshot compared with what earlier nights stored (docs/import.md). Exit 0 when the
/// import ran to the end, rejected rows included; 1 when it could not run (another run for the council holding
/// the feed included); 2 for a usage mistake.
/// </summary>
public static class SsdImportCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "the folder of SSD table CSVs (ssd_contacts.csv, ssd_cin_episodes.csv, …)" };
        var tenant = new Option<string>("--tenant") { Description = "the local authority the snapshot belongs to", Required = true };
        var asOf = new Option<string?>("--as-of") { Description = "the snapshot's instant, the recordedAt of what it adds (default: the files' modification time)" };
        var vanished = new Option<string>("--vanished") { Description = "a row gone since the last snapshot: retract its events (default) or keep them with a warning", DefaultValueFactory = _ => "retract" };
        vanished.AcceptOnlyFromAmong("retract", "keep");
        var format = CliOutput.FormatOption("table", "table", "json");
        var command = new Command("ssd", "Import a night's Standard Safeguarding Dataset snapshot (one CSV per table) as its changes since the last night.")
            { folder, tenant, asOf, vanished, format };
        command.SetAction((parse, ct) => CliOutput.Guard(parse, () => RunAsync(parse, parse.GetValue(folder)!, CliOutput.Id(parse, tenant), parse.GetValue(asOf),
            parse.GetValue(vanished) == "keep" ? VanishedRows.Keep : VanishedRows.Retract, parse.GetValue(format)!, ct)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, string folder, string tenant, string? asOfText, VanishedRows vanished, string format, CancellationToken ct)
    {
        var stderr = CliOutput.Error(parse);
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("CASEPATHWAY_DB")))
        {
            await stderr.WriteLineAsync("CASEPATHWAY_DB is not set: it must hold the PostgreSQL connection string (ops/db start prints one).");
            return 1;
        }
        try
        {
            var now = Settings.Clock().GetCurrentInstant();
            var asOf = asOfText is null ? SsdImporter.SnapshotInstant(folder) : ParseAsOf(asOfText);
            if (asOf > now + Domain.Events.DoorLimits.ClockSkew)
                throw new UsageException($"--as-of: {Domain.Time.OccurrenceText.Format(asOf)} is in the future (it is now {Domain.Time.OccurrenceText.Format(now)})");
            var options = new SsdOptions(tenant, asOf, vanished) { Limits = ImportLimits.FromEnvironment() };
            var show = ImportProgress.Wanted(ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected, Console.IsOutputRedirected, format, ImportProgress.SizeOf(folder));
            var summary = await ImportProgress.RunAsync(show ? ImportProgress.On(stderr) : null, async progress =>
            {
                await using var runtime = await CasePathwayRuntime.OpenAsync(ct: ct);
                var result = await new SsdImporter(runtime.Appender, runtime.Store).ImportAsync(folder, options,
                    (name, work) => progress.StageAsync(name, async () => { await work(); return 0; }), ct);
                await progress.StageAsync("updating clocks", async () => { await runtime.CatchUpAsync(ct); return 0; });
                // councils are configured by the operator: the feed's council is configured by importing it
                var added = await CasePathway.Host.Cli.AccessCommands.AddCouncilsWithEventsAsync(runtime.DataSource, "casepathway import ssd", ct);
                return (result, added);
            });
            if (format == "json") await CliOutput.Out(parse).WriteLineAsync(summary.result.ToJson());
            else
            {
                WriteTables(parse, summary.result);
                if (summary.added.Count > 0) await CliOutput.Out(parse).WriteLineAsync($"councils added: {string.Join(", ", summary.added)}");
            }
            return 0;
        }
        catch (ImportFileException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return 1;
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            await stderr.WriteLineAsync($"The database could not be reached: {e.Message}");
            return 1;
        }
        catch (Store.ImportRunningException e)
        {
            // A nightly job started twice (or a manual run beside it): the second is refused, nothing written.
            await stderr.WriteLineAsync(e.Message);
            return 1;
        }
        catch (Store.EventIdConflictException e)
        {
            await stderr.WriteLineAsync($"The import stopped: {e.Message}");
            return 1;
        }
    }

    private static Instant ParseAsOf(string text)
    {
        if (Web.AsAtText.TryParse(text, out var instant, out var problem) && instant is { } at) return at;
        throw new UsageException(problem == Web.AsAtText.Problem
            ? $"--as-of: '{Domain.Events.DoorLimits.Shown(text)}' is not an instant (2026-11-27T02:00+00:00) or a London local date-time (2026-11-27T02:00)"
            : $"--as-of: {problem}");
    }

    private static void WriteTables(ParseResult parse, SsdSummary summary)
    {
        CliOutput.WriteTable(parse, $"SSD snapshot as of {Domain.Time.OccurrenceText.Format(summary.AsOf)}: {summary.EventsAppended} events appended",
            ["table", "rows read", "unchanged", "new events", "corrections", "retractions", "vanished kept", "rejected"],
            summary.Tables.Where(t => t.Present).Select(t => (IReadOnlyList<string?>)[t.Table, N(t.RowsRead), N(t.Unchanged), N(t.NewEvents), N(t.Corrections), N(t.Retractions), N(t.VanishedKept), N(t.Rejections)]));
        if (summary.Rejections.Count > 0)
            CliOutput.WriteTable(parse, "rejections", ["table", "key", "row", "column", "reason"],
                summary.Rejections.Select(r => (IReadOnlyList<string?>)[r.Table, r.Key, N(r.Row), r.Column, r.Reason]));
        if (summary.Warnings.Count > 0)
            CliOutput.WriteTable(parse, "warnings", ["table", "key", "column", "message"],
                summary.Warnings.Select(w => (IReadOnlyList<string?>)[w.Table, w.Key, w.Column, w.Message]));
    }

    private static string N(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
