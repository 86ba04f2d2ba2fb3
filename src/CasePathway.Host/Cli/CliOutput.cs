using System.CommandLine;
using System.Text.Json;
using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using CasePathway.Host.Output;
using NodaTime;
using Spectre.Console;

namespace CasePathway.Host.Cli;

/// <summary>How commands write: tables for people, CSV and JSON for machines (stdout alone), messages to stderr.</summary>
public static class CliOutput
{
    public static readonly JsonSerializerOptions Json = JsonOutput.Indented;

    public static Option<string> FormatOption(string defaultFormat, params string[] formats)
    {
        var option = new Option<string>("--format") { Description = $"Output format: {string.Join(", ", formats)}.", DefaultValueFactory = _ => defaultFormat };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }

    public static Option<string?> AsAtOption() =>
        new("--as-at") { Description = "The instant to look from: 2022-10-10T09:00+01:00, or a London local date-time 2022-10-10T09:00." };

    /// <summary>Reads --as-at: an instant with offset, or a London local date-time. Throws a usage error naming the option.</summary>
    public static Instant? AsAt(ParseResult parse, Option<string?> option)
    {
        var text = parse.GetValue(option);
        if (Web.AsAtText.TryParse(text, out var asAt, out var problem)) return asAt;
        throw new UsageException(problem == Web.AsAtText.Problem
            ? $"--as-at: '{DoorLimits.Shown(text!)}' is not an instant (2022-10-10T09:00+01:00) or a local date-time (2022-10-10T09:00)"
            : $"--as-at: {problem}");
    }

    /// <summary>Reads --tenant (or another tenant or child id) held to the same limits as an event's; a usage error names the option.</summary>
    public static string Id(ParseResult parse, Option<string> option) => Id(option.Name, parse.GetValue(option), DoorLimits.TenantProblem);

    public static string Id(string name, string? value, Func<string?, string?> check) =>
        check(value?.Trim()) is { } problem ? throw new UsageException($"{name}: {problem}") : value!.Trim();

    public static TextWriter Out(ParseResult parse) => parse.InvocationConfiguration.Output;

    public static TextWriter Error(ParseResult parse) => parse.InvocationConfiguration.Error;

    public static void WriteJson<T>(ParseResult parse, T value) => Out(parse).WriteLine(JsonSerializer.Serialize(value, Json));

    /// <summary>CSV in the one dialect the web exports use too (<see cref="CsvText"/>).</summary>
    public static void WriteCsv(ParseResult parse, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows, IReadOnlySet<string>? numericColumns = null) =>
        CsvText.Write(Out(parse), header, rows, numericColumns);

    public static void WriteTable(ParseResult parse, string? title, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out(parse)),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        // Redirected output has no terminal width; do not wrap rows at 80 columns.
        if (console.Profile.Width <= 80 && Console.IsOutputRedirected) console.Profile.Width = 240;
        var table = new Table().Border(TableBorder.Simple);
        if (title is not null) table.Title(Markup.Escape(title));
        foreach (var h in header) table.AddColumn(Markup.Escape(h));
        foreach (var row in rows) table.AddRow(row.Select(f => Markup.Escape(f ?? "")).ToArray());
        console.Write(table);
    }

    /// <summary>Runs a command body, turning the errors people can fix into one clear line and exit code 2 (usage) or 1.</summary>
    public static async Task<int> Guard(ParseResult parse, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (UsageException e)
        {
            await Error(parse).WriteLineAsync(e.Message);
            return 2;
        }
        catch (Exception e) when (e is InvalidOperationException or Npgsql.NpgsqlException or IOException or InvalidDataException or System.Net.Sockets.SocketException or InvalidEventException)
        {
            await Error(parse).WriteLineAsync($"casepathway: {e.Message}");
            return 1;
        }
    }
}

/// <summary>A mistake in how a command was called; its message names the option.</summary>
public sealed class UsageException(string message) : Exception(message);
