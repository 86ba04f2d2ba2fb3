using System.CommandLine;
using CasePathway.Domain.Time;
using CasePathway.Host.Runtime;
using CasePathway.Import;
using CasePathway.Import.AnnexA;
using CasePathway.Import.CinCensus;
using CasePathway.Import.JsonLines;
using CasePathway.Store;
using CasePathway.Store.Pathways;
using NodaTime;
using Npgsql;
using Spectre.Console;

namespace CasePathway.Host.Features.Import;

/// <summary>
/// `import events | annex-a | cin-census`: read a source, append its events, bring the projections up to
/// date (so `report clocks` right after shows the data, with or without a server), print the summary (a
/// table, or the contract's JSON with --format json, on stdout alone; progress, when shown, on stderr).
/// Exit 0 when the import ran to the end, rejected rows included; 1 when it could not run (unreadable
/// file, no database), with the reason on stderr.
/// </summary>
public static class ImportCommands
{
    private const int CouldNotRun = 1;
    private const string DatabaseVariable = "CASEPATHWAY_DB";

    public static Command Create()
    {
        var import = new Command("import", "Import pathway events: a JSON Lines file of envelopes, an Ofsted Annex A workbook, or a DfE CIN census file.");
        import.Subcommands.Add(Events());
        import.Subcommands.Add(AnnexA());
        import.Subcommands.Add(CinCensus());
        import.Subcommands.Add(SsdImportCommand.Create());
        return import;
    }

    private static Command Events()
    {
        var file = new Argument<string>("file") { Description = "a JSON Lines file: one event envelope per line" };
        var format = FormatOption();
        var command = new Command("events", "Import a JSON Lines file of event envelopes. A file with any bad line stores none of it.") { file, format };
        command.SetAction((parse, ct) => Run(parse, format, parse.GetValue(file)!, (progress, store) =>
            // Read and stored in one stage: the file streams through in batches (docs/import.md).
            progress.StageAsync($"importing {Path.GetFileName(parse.GetValue(file)!)}", () => JsonLinesImporter.ImportAsync(
                parse.GetValue(file)!, async (events, ct) => await ImportAppend.RunAsync(await store(), events, ct),
                Settings.Clock().GetCurrentInstant(), ImportLimits.FromEnvironment(), ct)), ct));
        return command;
    }

    private static Command AnnexA()
    {
        var file = new Argument<string>("file") { Description = "the Annex A workbook (.xlsx) or a folder of per-list CSV files" };
        var tenant = new Option<string>("--tenant") { Description = "the local authority the lists belong to", Required = true };
        var format = FormatOption();
        var command = new Command("annex-a", "Import Ofsted Annex A lists 1–8.") { file, tenant, format };
        command.SetAction((parse, ct) => Run(parse, format, parse.GetValue(file)!, () =>
            AnnexAImporter.Import(parse.GetValue(file)!, parse.GetValue(tenant)!, London.DateOf(Settings.Clock().GetCurrentInstant()), ImportLimits.FromEnvironment()), ct));
        return command;
    }

    private static Command CinCensus()
    {
        var file = new Argument<string>("file") { Description = "the CIN census XML file" };
        var tenant = new Option<string>("--tenant") { Description = "the local authority (default: the file's Source/LEA)" };
        var format = FormatOption();
        var command = new Command("cin-census", "Import a DfE children in need census file (2021–2026 schemas).") { file, tenant, format };
        command.SetAction((parse, ct) => Run(parse, format, parse.GetValue(file)!, () => CinCensusImporter.Import(parse.GetValue(file)!, parse.GetValue(tenant)), ct));
        return command;
    }

    private static Option<string> FormatOption() => new("--format")
    {
        Description = "table (default) or json (the contract's summary, on stdout alone)",
        DefaultValueFactory = _ => "table",
    };

    /// <summary>A source read whole into a batch (Annex A, the census: bounded by <see cref="ImportLimits"/>), then stored.</summary>
    private static Task<int> Run(ParseResult parse, Option<string> formatOption, string path, Func<ImportBatch> read, CancellationToken ct) =>
        Run(parse, formatOption, path, async (progress, store) =>
        {
            var batch = await progress.StageAsync($"reading {Path.GetFileName(Path.TrimEndingDirectorySeparator(path))}", () => Task.Run(read, ct));
            var target = await store();
            return await progress.StageAsync($"storing {batch.Events.Count} events", () => new ImportRunner(target).RunAsync(batch, ct));
        }, ct);

    /// <param name="import">Reads the source and stores it; the store is opened on first use, so a file that cannot be read needs no database.</param>
    private static async Task<int> Run(ParseResult parse, Option<string> formatOption, string path, Func<ImportProgress, Func<Task<PathwayAppender>>, Task<ImportSummary>> import, CancellationToken ct)
    {
        var stdout = parse.InvocationConfiguration.Output;
        var stderr = parse.InvocationConfiguration.Error;
        var format = parse.GetValue(formatOption);
        if (format is not ("table" or "json"))
        {
            await stderr.WriteLineAsync($"--format: '{format}' is not one of table, json.");
            return 2;
        }
        var connectionString = Environment.GetEnvironmentVariable(DatabaseVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await stderr.WriteLineAsync($"{DatabaseVariable} is not set: it must hold the PostgreSQL connection string (ops/db start prints one).");
            return CouldNotRun;
        }
        try
        {
            // Progress only on the real terminal: an in-process caller's writers (tests) never get it.
            var show = ImportProgress.Wanted(
                ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected, Console.IsOutputRedirected, format, ImportProgress.SizeOf(path));
            var summary = await ImportProgress.RunAsync(show ? ImportProgress.On(stderr) : null, async progress =>
            {
                CasePathwayRuntime? runtime = null;
                try
                {
                    var stored = await import(progress, async () => (runtime ??= await Open(connectionString, ct)).Appender);
                    runtime ??= await Open(connectionString, ct);
                    await progress.StageAsync("updating clocks", async () => { await runtime.CatchUpAsync(ct); return 0; });
                    // councils are configured by the operator: an import configures those it brought
                    if (await CasePathway.Host.Cli.AccessCommands.AddCouncilsWithEventsAsync(runtime.DataSource, "casepathway import", ct) is { Count: > 0 } added)
                        // said with the summary (stdout), not as a warning; --format json keeps stdout to the contract's JSON alone
                        if (format != "json") await stdout.WriteLineAsync($"councils added: {string.Join(", ", added)}");
                    return stored;
                }
                finally
                {
                    if (runtime is not null) await runtime.DisposeAsync();
                }
            });
            if (format == "json") await stdout.WriteLineAsync(summary.ToJson());
            else WriteTable(stdout, summary);
            return 0;
        }
        catch (ImportFileException ex)
        {
            await stderr.WriteLineAsync(ex.Message);
            return CouldNotRun;
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            await stderr.WriteLineAsync($"The database could not be reached: {ex.Message}");
            return CouldNotRun;
        }
        catch (Exception ex) when (ex is InvalidDataException or System.Text.Json.JsonException or CasePathway.Domain.Rules.RulebookException or InvalidOperationException)
        {
            // Tenant configuration (read to bring the clocks up to date) or CASEPATHWAY_NOW is unusable.
            await stderr.WriteLineAsync($"casepathway: {ex.Message}");
            return CouldNotRun;
        }
        catch (EventIdConflictException ex)
        {
            await stderr.WriteLineAsync($"Nothing was imported: {ex.Message}");
            return CouldNotRun;
        }
    }

    private static async Task<CasePathwayRuntime> Open(string connectionString, CancellationToken ct)
    {
        try
        {
            return await CasePathwayRuntime.OpenAsync(connectionString, ct);
        }
        catch (ArgumentException ex)
        {
            throw new ImportFileException($"{DatabaseVariable} is not a usable connection string: {ex.Message}", ex);
        }
    }

    private static void WriteTable(TextWriter output, ImportSummary summary)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        var totals = new Table().AddColumn("rows read").AddColumn("events appended").AddColumn("already present").AddColumn("rows rejected");
        totals.AddRow(summary.RowsRead.ToString(), summary.EventsAppended.ToString(), summary.EventsAlreadyPresent.ToString(), summary.RowsRejected.ToString());
        console.Write(totals);
        if (summary.Rejections.Count > 0)
        {
            var rejections = new Table().Title("rejections").AddColumn("sheet / child").AddColumn("row").AddColumn("column").AddColumn("reason");
            foreach (var r in summary.Rejections)
                rejections.AddRow(Markup.Escape(r.Sheet is null ? r.Child ?? "" : r.Child is null ? r.Sheet : $"{r.Sheet} / {r.Child}"),
                    r.Row.ToString(), Markup.Escape(r.Column ?? ""), Markup.Escape(r.Reason));
            console.Write(rejections);
        }
        if (summary.Warnings.Count > 0)
        {
            var warnings = new Table().Title("warnings").AddColumn("sheet / child").AddColumn("row").AddColumn("field").AddColumn("message");
            foreach (var w in summary.Warnings)
                warnings.AddRow(Markup.Escape(w.Sheet is null ? w.Child : $"{w.Sheet} / {w.Child}"), w.Row?.ToString() ?? "", Markup.Escape(w.Field), Markup.Escape(w.Message));
            console.Write(warnings);
        }
    }
}
