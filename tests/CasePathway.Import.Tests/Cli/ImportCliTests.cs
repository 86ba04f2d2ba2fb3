using CasePathway.Domain.Clocks;
using System.CommandLine;
using System.Text.Json;
using CasePathway.Host.Cli;
using CasePathway.Host.Features.Clocks;
using CasePathway.Host.Features.Import;
using CasePathway.Projections.Tenants;
using CasePathway.Testing;
using NodaTime;

namespace CasePathway.Import.Tests.Cli;

/// <summary>CASEPATHWAY_DB is process-wide: the CLI tests run one at a time, each against its own database.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ImportCliCollection
{
    public const string Name = "import CLI (process environment)";
}

/// <summary>The import commands in process, as a user runs them, against a real database.</summary>
[Collection(ImportCliCollection.Name)]
public sealed class ImportCliTests : IClassFixture<TestDatabase>, IDisposable
{
    private readonly TestDatabase _db;
    private readonly string? _previousDb = Environment.GetEnvironmentVariable("CASEPATHWAY_DB");

    public ImportCliTests(TestDatabase db)
    {
        _db = db;
        Environment.SetEnvironmentVariable("CASEPATHWAY_DB", db.ConnectionString);
    }

    public void Dispose() => Environment.SetEnvironmentVariable("CASEPATHWAY_DB", _previousDb);

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CommandLine.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Clocks_are_up_to_date_as_soon_as_the_import_returns_and_report_clocks_shows_them()
    {
        var (exit, stdout, stderr) = await Run("import", "cin-census", Samples.Cin("csc-validator-cin-census-2024.xml"), "--tenant", "cli-cin", "--format", "json");

        exit.ShouldBe(0, stderr);
        stderr.ShouldBeEmpty();
        // stdout is the JSON summary alone: no progress, no table.
        using (var summary = JsonDocument.Parse(stdout))
            summary.RootElement.GetProperty("eventsAppended").GetInt32().ShouldBeGreaterThan(0);

        // Read straight from the read model, before any report command could catch up itself.
        var clocks = await new ClockReportQuery(_db.DataSource, TenantDirectory.Empty, SystemClock.Instance)
            .GetAsync("cli-cin", Instant.FromUtc(2025, 1, 31, 12, 0), "DfEX0000001");
        clocks.ShouldContain(c => c.Rule == "icpc" && c.Due == "2022-06-24" && c.Status == ClockStatus.Met);

        var report = await Run("report", "clocks", "--tenant", "cli-cin", "--as-at", "2025-01-31T12:00+00:00", "--format", "csv");

        report.Exit.ShouldBe(0, report.Err);
        report.Out.Split('\n').ShouldContain(line =>
            line.StartsWith("cli-cin,DfEX0000001,icpc,CIN-DfEX0000001-S47-2022-06-02,2022-06-02,2022-06-24,2022-06-17,met,"));
    }

    [Fact]
    public async Task An_annex_a_import_then_report_clocks_gives_the_counted_due_dates_and_a_reimport_appends_nothing()
    {
        var file = Samples.AnnexA("liia-tools-annex-a-sample.xlsx");
        var first = await Run("import", "annex-a", file, "--tenant", "cli-annex");
        var second = await Run("import", "annex-a", file, "--tenant", "cli-annex", "--format", "json");
        var report = await Run("report", "clocks", "--tenant", "cli-annex", "--as-at", "2025-01-31T12:00+00:00", "--format", "csv");

        first.Exit.ShouldBe(0, first.Err);
        first.Out.ShouldContain("rows read");
        using (var summary = JsonDocument.Parse(second.Out))
            summary.RootElement.GetProperty("eventsAppended").GetInt32().ShouldBe(0);
        var lines = report.Out.Split('\n');
        lines.ShouldContain(l => l.StartsWith("cli-annex,6537810,icpc,A5-6537810-2020-09-16,2020-09-16,2020-10-07,2020-10-05,met,"));
        lines.ShouldContain(l => l.StartsWith("cli-annex,6537810,referral-decision,A3-6537810-2020-09-16,2020-09-16,2020-09-17,,not-measurable,"));
        lines.ShouldContain(l => l.StartsWith("cli-annex,10273003,icpc,A5-10273003-2020-09-16,2020-09-16,2020-10-07,,cancelled,"));
    }

    [Theory]
    [InlineData(true, false, "table", ImportProgress.LargeFileBytes, true)]
    [InlineData(true, true, "table", ImportProgress.LargeFileBytes, true)]
    [InlineData(true, false, "json", ImportProgress.LargeFileBytes, true)]
    [InlineData(true, true, "json", ImportProgress.LargeFileBytes, false)] // JSON piped on: nothing else
    [InlineData(false, false, "table", ImportProgress.LargeFileBytes, false)] // stderr redirected
    [InlineData(true, false, "table", ImportProgress.LargeFileBytes - 1, false)] // a small file
    public void Progress_is_shown_only_on_a_terminal_for_large_files_and_never_with_json_piped(bool stderrIsTerminal, bool stdoutRedirected, string format, long bytes, bool shown) =>
        ImportProgress.Wanted(stderrIsTerminal, stdoutRedirected, format, bytes).ShouldBe(shown);

    [Fact]
    public async Task Progress_writes_to_the_error_writer_it_is_given_never_to_stdout()
    {
        var stderr = new StringWriter();
        var stdoutBefore = Console.Out;
        var stdout = new StringWriter();
        Console.SetOut(stdout);
        try
        {
            // A terminal-like display (live rendering, ANSI) over the error writer, as on a real terminal.
            var display = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
            {
                Out = new Spectre.Console.AnsiConsoleOutput(stderr),
                Ansi = Spectre.Console.AnsiSupport.Yes,
                Interactive = Spectre.Console.InteractionSupport.Yes,
            });
            var result = await ImportProgress.RunAsync(display, async p => await p.StageAsync("storing 3 events", () => Task.FromResult(42)));

            result.ShouldBe(42);
        }
        finally
        {
            Console.SetOut(stdoutBefore);
        }
        stdout.ToString().ShouldBeEmpty();
        stderr.ToString().ShouldContain("storing 3 events");
    }
}
